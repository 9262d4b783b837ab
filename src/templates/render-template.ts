/**
 * Rendering a template for a notification: which locale, then each channel's body with the
 * escaping that channel needs, within the size each channel takes. Strict: any problem is a
 * ValidationError naming the template, locale, channel and field, so nothing half-rendered is
 * ever stored or sent.
 */
import { ValidationError } from "../core/errors.js";
import { CHANNELS, type Channel, type RenderedBodies, type RenderedBody } from "../core/model.js";
import type { Compiled, Escaping, LiquidEngines } from "./liquid.js";
import type { Template } from "./template.js";

/** Telegram's limit for one message; an HTML text is never split, as a split could cut a tag. */
export const TELEGRAM_HTML_MAX_LENGTH = 4096;
export const MAX_SUBJECT_LENGTH = 255;
export const MAX_HTML_LENGTH = 200_000;

interface CompiledField {
  field: "subject" | "text" | "html";
  compiled: Compiled;
  escaping: Escaping;
}

interface CompiledBody {
  fields: CompiledField[];
  parseMode: "HTML" | null;
}

export interface CompiledTemplate {
  key: string;
  /** Changes whenever the template is saved: parsed copies are kept per version. */
  version: number;
  defaultLocale: string;
  locales: Record<string, Partial<Record<Channel, CompiledBody>>>;
}

/** Parses every field once; the result renders any number of notifications. */
export function compileTemplate(liquid: LiquidEngines, template: Template): CompiledTemplate {
  const field = (name: CompiledField["field"], source: string, escaping: Escaping): CompiledField => ({
    field: name,
    compiled: liquid.compile(source, escaping),
    escaping,
  });
  const locales: CompiledTemplate["locales"] = {};
  for (const [locale, bodies] of Object.entries(template.locales)) {
    const compiled: Partial<Record<Channel, CompiledBody>> = {};
    if (bodies.sms) compiled.sms = { fields: [field("text", bodies.sms.text, "none")], parseMode: null };
    if (bodies.email) {
      const { subject, text, html } = bodies.email;
      compiled.email = {
        fields: [
          ...(subject ? [field("subject", subject, "none")] : []),
          field("text", text, "none"),
          ...(html ? [field("html", html, "html")] : []),
        ],
        parseMode: null,
      };
    }
    if (bodies.telegram) {
      const parseMode = bodies.telegram.parse_mode === "HTML" ? "HTML" : null;
      compiled.telegram = {
        fields: [field("text", bodies.telegram.text, parseMode ? "html" : "none")],
        parseMode,
      };
    }
    locales[locale] = compiled;
  }
  return {
    key: template.key,
    version: template.updatedAt.getTime(),
    defaultLocale: template.defaultLocale,
    locales,
  };
}

/**
 * The template's locale for someone who reads `wanted`: the same tag, else the tag with its last
 * subtags dropped ("pt-BR" -> "pt"), else another region of the same language ("pt-PT"), else the
 * template's default.
 */
export function chooseLocale(available: readonly string[], wanted: string | null, fallback: string): string {
  if (!wanted) return fallback;
  const byLower = new Map(available.map((tag) => [tag.toLowerCase(), tag]));
  const parts = wanted.toLowerCase().split("-");
  for (let length = parts.length; length > 0; length--) {
    const found = byLower.get(parts.slice(0, length).join("-"));
    if (found) return found;
  }
  const sameLanguage = available.find((tag) => tag.toLowerCase().split("-")[0] === parts[0]);
  return sameLanguage ?? fallback;
}

/** The variables a template sees. Never the password hash: only these fields are copied. */
export interface RenderScope {
  data: Record<string, unknown>;
  user: {
    id: number | null;
    email: string | null;
    first_name: string;
    last_name: string;
    phone_number: string | null;
    telegram_id: string | null;
    locale: string | null;
  } | null;
  /** The one-click unsubscribe link of the notification's category; null when there is none. */
  unsubscribe_url?: string | null;
}

export interface RenderLimits {
  /** MAX_MESSAGE_LENGTH: the longest text (SMS, Telegram, email text) a notification may carry. */
  maxTextLength: number;
}

export interface RenderResult {
  locale: string;
  /** Only the channels the locale has a body for; the others are skipped at delivery. */
  rendered: RenderedBodies;
}

/** Renders the bodies of `channels` in the chosen locale; throws a ValidationError on any problem. */
export function renderTemplate(
  liquid: LiquidEngines,
  template: CompiledTemplate,
  wantedLocale: string | null,
  channels: readonly Channel[],
  scope: RenderScope,
  limits: RenderLimits,
): RenderResult {
  const locale = chooseLocale(Object.keys(template.locales), wantedLocale, template.defaultLocale);
  const bodies = template.locales[locale] ?? {};
  const rendered: RenderedBodies = {};
  const where = (channel: Channel, name: string) =>
    `template ${JSON.stringify(template.key)}, locale ${locale}, ${channel} ${name}`;
  const fail = (message: string): never => {
    throw ValidationError.of("template", message);
  };
  for (const channel of CHANNELS) {
    if (!channels.includes(channel)) continue;
    const body = bodies[channel];
    if (!body) continue;
    const output: RenderedBody = { text: "" };
    for (const { field: name, compiled, escaping } of body.fields) {
      let text: string;
      try {
        // A lone surrogate in `data` (JSON may escape one, Unicode has none) is stored as U+FFFD,
        // as the driver sends it in a text column; as it was, PostgreSQL's jsonb would refuse it.
        text = liquid.render(compiled, escaping, scope).toWellFormed();
      } catch (error) {
        return fail(`${where(channel, name)}: ${liquid.describeError(error)}`);
      }
      const limit =
        name === "subject"
          ? MAX_SUBJECT_LENGTH
          : name === "html"
            ? MAX_HTML_LENGTH
            : body.parseMode === "HTML"
              ? Math.min(TELEGRAM_HTML_MAX_LENGTH, limits.maxTextLength)
              : limits.maxTextLength;
      if (name === "subject") text = text.replace(/\s+/g, " ").trim();
      if (text.length > limit) {
        fail(`${where(channel, name)}: rendered to ${text.length} characters; at most ${limit} are allowed.`);
      }
      if (name === "text" && text.trim() === "") fail(`${where(channel, name)}: rendered to an empty text.`);
      if (name === "subject") output.subject = text || null;
      else if (name === "html") output.html = text;
      else output.text = text;
    }
    if (channel === "telegram" && body.parseMode) output.parseMode = body.parseMode;
    rendered[channel] = output;
  }
  if (Object.keys(rendered).length === 0) {
    fail(
      `template ${JSON.stringify(template.key)} has no body in locale ${locale} for ${channels.length === 1 ? "channel" : "any of the channels"} ${channels.join(", ")}.`,
    );
  }
  return { locale, rendered };
}
