/**
 * Templates ready to render: their version is read from PostgreSQL on every use, so a template
 * saved by any process is used by the next notification; the bodies are read and parsed once per
 * saved version, since that costs far more than reading the version.
 */
import { ValidationError } from "../core/errors.js";
import type { Channel, UserProfile } from "../core/model.js";
import type { RecipientRenderRequest } from "../usecases/ports.js";
import { type LiquidEngines, liquidEngines } from "./liquid.js";
import {
  type CompiledTemplate,
  compileTemplate,
  type RenderLimits,
  type RenderResult,
  type RenderScope,
  renderTemplate,
} from "./render-template.js";
import type { Template } from "./template.js";
import type { TemplatesRepository } from "./templates-repository.js";

/** `data` is at most this many bytes of JSON. */
export const MAX_DATA_BYTES = 16 * 1024;
const MAX_CACHED = 500;

export interface RenderRequest {
  template: string;
  data: unknown;
  /** Whose variables `user` holds and whose locale is wanted; null for a preview without one. */
  user: RenderScope["user"];
  /** The locale wanted; null falls back to the template's default. */
  locale: string | null;
  channels: readonly Channel[];
  /** The recipient's one-click unsubscribe link for the notification's category, or null. */
  unsubscribeUrl?: string | null;
}

export interface RenderedTemplate extends RenderResult {
  template: string;
}

export class TemplateCatalog {
  private readonly compiled = new Map<string, CompiledTemplate>();

  constructor(
    private readonly templates: TemplatesRepository,
    private readonly limits: RenderLimits,
  ) {}

  /** Renders for a notification or a preview; a ValidationError says what is wrong, nothing is stored. */
  async render(request: RenderRequest): Promise<RenderedTemplate> {
    const liquid = await liquidEngines();
    return this.renderCompiled(liquid, await this.compiledTemplate(liquid, request.template), request);
  }

  /**
   * Renders for a notification whose recipient and template version were read together (see
   * TemplatesRepository.recipientAndTemplateVersion): the version needs no statement of its own.
   */
  async renderForRecipient(request: RecipientRenderRequest): Promise<RenderedTemplate> {
    const liquid = await liquidEngines();
    const template = await this.compiledTemplate(liquid, request.template, request.version);
    return this.renderCompiled(liquid, template, {
      data: request.data,
      user: userScope(request.user),
      locale: request.user.locale,
      channels: request.channels,
      unsubscribeUrl: request.unsubscribeUrl,
    });
  }

  /**
   * One template ready for many renders (a broadcast's batch): read and parsed once, then each call
   * renders like `render`. A ValidationError when there is no such template.
   */
  async renderer(
    key: string,
  ): Promise<{ locales: string[]; render(request: Omit<RenderRequest, "template">): RenderedTemplate }> {
    const liquid = await liquidEngines();
    const template = await this.compiledTemplate(liquid, key);
    return {
      locales: Object.keys(template.locales),
      render: (request) => this.renderCompiled(liquid, template, request),
    };
  }

  /** Renders a template that is not saved (a draft being edited); it was validated by the caller. */
  async renderDraft(draft: Template, request: Omit<RenderRequest, "template">): Promise<RenderedTemplate> {
    const liquid = await liquidEngines();
    return this.renderCompiled(liquid, compileTemplate(liquid, draft), request);
  }

  private renderCompiled(
    liquid: LiquidEngines,
    template: CompiledTemplate,
    request: Omit<RenderRequest, "template">,
  ): RenderedTemplate {
    const result = renderTemplate(
      liquid,
      template,
      request.locale,
      request.channels,
      { data: checkData(request.data), user: request.user, unsubscribe_url: request.unsubscribeUrl ?? null },
      this.limits,
    );
    return { template: template.key, ...result };
  }

  /** `knownVersion`: the version as just read by the caller (null: no such template); read here when undefined. */
  private async compiledTemplate(
    liquid: LiquidEngines,
    key: string,
    knownVersion?: Date | null,
  ): Promise<CompiledTemplate> {
    // The version alone tells whether the parsed copy is current: the bodies (kilobytes of JSON
    // to read and parse) are read only when it is not.
    const version = knownVersion === undefined ? await this.templates.versionOf(key) : knownVersion;
    const cached = this.compiled.get(key);
    if (version && cached && cached.version === version.getTime()) return cached;
    const stored = version ? await this.templates.findByKey(key) : null;
    if (!stored)
      throw ValidationError.of("template", `There is no template with key ${JSON.stringify(key)}.`);
    let compiled: CompiledTemplate;
    try {
      compiled = compileTemplate(liquid, stored);
    } catch (error) {
      // Saved templates parse; this is only for one saved under other rules (another LiquidJS).
      throw ValidationError.of(
        "template",
        `template ${JSON.stringify(key)} does not parse: ${liquid.describeError(error)}`,
      );
    }
    if (this.compiled.size >= MAX_CACHED) this.compiled.clear();
    this.compiled.set(key, compiled);
    return compiled;
  }
}

/** The request's `data`: a JSON object of at most MAX_DATA_BYTES. */
export function checkData(data: unknown): Record<string, unknown> {
  if (data === undefined || data === null) return {};
  if (typeof data !== "object" || Array.isArray(data))
    throw ValidationError.of("data", "Must be a JSON object.");
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES) {
    throw ValidationError.of("data", `Ensure this object has no more than ${MAX_DATA_BYTES} bytes of JSON.`);
  }
  return data as Record<string, unknown>;
}

/** The variables a template sees of a user: never the password hash, which is not even read. */
export function userScope(user: UserProfile): NonNullable<RenderScope["user"]> {
  return {
    id: user.id,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    phone_number: user.phoneNumber,
    telegram_id: user.telegramId,
    locale: user.locale,
  };
}
