/** What the API and the CLI can do with templates: save, read, list, delete, and preview a render. */

import { NotFoundError, unknownUserMessage, ValidationError } from "../core/errors.js";
import { CHANNELS, type Channel, isChannel } from "../core/model.js";
import { findUnstorableCharacter } from "../core/unstorable-text.js";
import type { UserReader } from "../usecases/ports.js";
import type { RenderScope } from "./render-template.js";
import {
  canonicalLocale,
  type Template,
  type TemplateFields,
  type TemplateInput,
  validateTemplate,
} from "./template.js";
import { type RenderedTemplate, type TemplateCatalog, userScope } from "./template-catalog.js";
import type { TemplatesRepository } from "./templates-repository.js";

export interface TemplateDeps {
  templates: TemplatesRepository;
  /** Runs `work` with a templates repository inside one transaction: all of it is saved, or none. */
  templatesInTransaction<T>(work: (templates: TemplatesRepository) => Promise<T>): Promise<T>;
  templateCatalog: TemplateCatalog;
  users: UserReader;
}

export async function createTemplate(deps: TemplateDeps, input: TemplateInput): Promise<Template> {
  return deps.templates.create(await validateTemplate(input));
}

/** Replaces the whole template; notifications already rendered from it keep what they said. */
export async function updateTemplate(
  deps: TemplateDeps,
  key: string,
  input: TemplateInput,
): Promise<Template> {
  const updated = await deps.templates.replace(await validateTemplate(input, key));
  if (!updated) throw new NotFoundError(`Template ${JSON.stringify(key)} not found.`);
  return updated;
}

/**
 * Creates or replaces each template, for `templates apply`, which keeps templates in files. All are
 * checked before any is saved, so an invalid file changes nothing; problems are named per template.
 */
export async function saveTemplates(
  deps: TemplateDeps,
  inputs: TemplateInput[],
): Promise<{ template: Template; created: boolean }[]> {
  const problems: Record<string, string[]> = {};
  const checked: TemplateFields[] = [];
  for (const [index, input] of inputs.entries()) {
    // A key that could not be stored is no name to print either.
    const printable = typeof input.key === "string" && findUnstorableCharacter(input.key, "") === null;
    const name = printable ? (input.key as string) : `#${index + 1}`;
    try {
      checked.push(await validateTemplate(input));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const [field, messages] of Object.entries(error.fields)) problems[`${name}: ${field}`] = messages;
    }
  }
  const keys = checked.map((fields) => fields.key);
  const repeated = keys.find((key, index) => keys.indexOf(key) !== index);
  if (repeated) problems[`${repeated}: key`] = ["This key appears more than once in the file."];
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  return deps.templatesInTransaction(async (templates) => {
    const saved: { template: Template; created: boolean }[] = [];
    for (const fields of checked) {
      const updated = await templates.replace(fields);
      saved.push(
        updated
          ? { template: updated, created: false }
          : { template: await templates.create(fields), created: true },
      );
    }
    return saved;
  });
}

export async function getTemplate(deps: TemplateDeps, key: string): Promise<Template> {
  const template = await deps.templates.findByKey(key);
  if (!template) throw new NotFoundError(`Template ${JSON.stringify(key)} not found.`);
  return template;
}

export async function listTemplates(
  deps: TemplateDeps,
  page: { page: number; pageSize: number },
): Promise<{ count: number; results: Template[] }> {
  return deps.templates.list({ limit: page.pageSize, offset: (page.page - 1) * page.pageSize });
}

export async function deleteTemplate(deps: TemplateDeps, key: string): Promise<void> {
  if (!(await deps.templates.delete(key)))
    throw new NotFoundError(`Template ${JSON.stringify(key)} not found.`);
}

export interface PreviewInput {
  data?: unknown;
  /** A user id (their variables and locale), or sample user variables. */
  user?: number | Partial<NonNullable<RenderScope["user"]>> | null;
  locale?: string | null;
  /** Which channels to render; all by default. */
  channels?: string[] | null;
}

/** Renders as a notification would, with no side effect: the same 400 as creation on any problem. */
export async function previewTemplate(
  deps: TemplateDeps,
  key: string,
  input: PreviewInput,
): Promise<RenderedTemplate> {
  await getTemplate(deps, key);
  const { user, locale, channels } = await previewScope(deps, input);
  return deps.templateCatalog.render({ template: key, data: input.data, user, locale, channels });
}

/**
 * Checks and renders a template that is not saved, as the dashboard's editor does on every change:
 * syntax errors come back per field with their line, as saving would answer, and render errors as
 * creation would. Nothing is stored.
 */
export async function previewDraft(
  deps: TemplateDeps,
  draft: TemplateInput,
  input: PreviewInput,
): Promise<RenderedTemplate> {
  const fields = await validateTemplate({
    ...draft,
    key: typeof draft.key === "string" && draft.key ? draft.key : "draft",
  });
  const { user, locale, channels } = await previewScope(deps, input);
  const template = { ...fields, createdAt: new Date(0), updatedAt: new Date(0) };
  return deps.templateCatalog.renderDraft(template, { data: input.data, user, locale, channels });
}

async function previewScope(
  deps: TemplateDeps,
  input: PreviewInput,
): Promise<{ user: RenderScope["user"]; locale: string | null; channels: readonly Channel[] }> {
  let user: RenderScope["user"] = null;
  let locale: string | null = null;
  if (typeof input.user === "number") {
    const found = await deps.users.findById(input.user);
    if (!found) throw ValidationError.of("user", unknownUserMessage(input.user));
    user = userScope(found);
    locale = found.locale;
  } else if (input.user) {
    user = {
      id: input.user.id ?? null,
      email: input.user.email ?? null,
      first_name: input.user.first_name ?? "",
      last_name: input.user.last_name ?? "",
      phone_number: input.user.phone_number ?? null,
      telegram_id: input.user.telegram_id ?? null,
      locale: input.user.locale ?? null,
    };
    locale = user.locale;
  }
  if (input.locale) {
    locale = canonicalLocale(input.locale);
    if (!locale)
      throw ValidationError.of("locale", `${JSON.stringify(input.locale)} is not a BCP 47 language tag.`);
  }
  let channels: readonly Channel[] = CHANNELS;
  if (input.channels != null) {
    const unknown = input.channels.find((channel) => !isChannel(channel));
    if (unknown !== undefined || input.channels.length === 0) {
      throw ValidationError.of("channels", "Give one or more of sms, email, telegram.");
    }
    channels = input.channels as Channel[];
  }
  return { user, locale, channels };
}
