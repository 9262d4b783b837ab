/**
 * What a template is and the rules a saved one follows: a unique key, a default locale, and per
 * locale a body per channel, each field Liquid source. Checked here (not only by the HTTP schema)
 * because the CLI saves templates too. No framework imports.
 */

import { lengthProblem, ValidationError } from "../core/errors.js";
import { CHANNELS, type Channel } from "../core/model.js";
import { findUnstorableCharacter } from "../core/unstorable-text.js";
import { liquidEngines } from "./liquid.js";

export interface SmsBody {
  text: string;
}
export interface EmailBody {
  subject?: string | null;
  text: string;
  html?: string | null;
}
export interface TelegramBody {
  text: string;
  /** "HTML": the text is Telegram HTML, and values put into it are escaped. */
  parse_mode?: "HTML" | null;
}
export interface LocaleBodies {
  sms?: SmsBody;
  email?: EmailBody;
  telegram?: TelegramBody;
}

export interface Template {
  key: string;
  description: string;
  defaultLocale: string;
  /** Keyed by canonical BCP 47 tag ("en", "pt-BR"). */
  locales: Record<string, LocaleBodies>;
  createdAt: Date;
  updatedAt: Date;
}

export type TemplateFields = Pick<Template, "key" | "description" | "defaultLocale" | "locales">;

/** A template as a client sends it (the public JSON shape). */
export interface TemplateInput {
  key?: unknown;
  description?: unknown;
  default_locale?: unknown;
  locales?: unknown;
}

export const TEMPLATE_KEY_PATTERN = /^[a-z0-9](?:[a-z0-9_-]{0,98}[a-z0-9])?$/;
export const MAX_TEMPLATE_SOURCE_LENGTH = 20_000;
export const MAX_DESCRIPTION_LENGTH = 500;
export const MAX_LOCALES = 50;

/** The fields of each channel's body, which are Liquid, and which must be there. */
const BODY_FIELDS: Record<Channel, { field: string; required: boolean }[]> = {
  sms: [{ field: "text", required: true }],
  email: [
    { field: "subject", required: false },
    { field: "text", required: true },
    { field: "html", required: false },
  ],
  telegram: [{ field: "text", required: true }],
};

/** The locale's canonical BCP 47 spelling ("pt-br" -> "pt-BR"), or null when it is not a tag. */
export function canonicalLocale(tag: string): string | null {
  if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

const KEY_RULE =
  'A key is 1-100 lowercase letters, digits, "-" or "_", starting and ending with a letter or digit (e.g. "otp", "order-shipped").';

/**
 * What is wrong with a template key, in the words DRF uses for a field, then what a key may be;
 * null for a good key. The characters at fault are named, not the key (the field names it).
 */
function problemWithKey(key: unknown): string | null {
  if (key === undefined || key === null) return "This field is required.";
  if (typeof key !== "string") return `Enter a valid key: it must be a string. ${KEY_RULE}`;
  if (TEMPLATE_KEY_PATTERN.test(key)) return null;
  if (key === "") return "This field may not be blank.";
  const tooLongKey = lengthProblem(key, 100);
  if (tooLongKey !== null) return tooLongKey;
  const wrong = [...new Set(key.match(/[^a-z0-9_-]/gu) ?? [])];
  if (wrong.length > 0) {
    const named = wrong.slice(0, 5).map((character) => JSON.stringify(character));
    const last = named.pop();
    const list = named.length > 0 ? `${named.join(", ")} or ${last}` : last;
    return `Enter a valid key: it may not contain ${list}${wrong.length > 5 ? ", among others" : ""}. ${KEY_RULE}`;
  }
  return `Enter a valid key: it must start and end with a letter or digit, not "-" or "_". ${KEY_RULE}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The template a request describes, or a ValidationError naming every problem: fields as paths
 * ("locales.en.email.html"), Liquid syntax errors with their line. `key` comes from the path on
 * updates, so a body without one is fine there.
 */
export async function validateTemplate(input: TemplateInput, keyFromPath?: string): Promise<TemplateFields> {
  const { syntaxProblem } = await liquidEngines();
  const problems: Record<string, string[]> = {};
  const add = (field: string, problem: string) => {
    problems[field] = [...(problems[field] ?? []), problem];
  };
  const key = keyFromPath ?? input.key;
  if (keyFromPath !== undefined && input.key !== undefined && input.key !== keyFromPath) {
    add("key", `The key in the body (${JSON.stringify(input.key)}) differs from the one in the path.`);
  }
  const keyProblem = problemWithKey(key);
  if (keyProblem) add("key", keyProblem);
  let description = "";
  if (input.description != null) {
    if (typeof input.description !== "string") add("description", "Must be a string.");
    else if (input.description.length > MAX_DESCRIPTION_LENGTH) {
      add("description", `Ensure this field has no more than ${MAX_DESCRIPTION_LENGTH} characters.`);
    } else description = input.description;
  }
  const locales: Record<string, LocaleBodies> = {};
  if (!isObject(input.locales) || Object.keys(input.locales).length === 0) {
    add(
      "locales",
      'Give at least one locale, e.g. {"en": {"sms": {"text": "Your code is {{ data.code }}"}}}.',
    );
  } else if (Object.keys(input.locales).length > MAX_LOCALES) {
    add("locales", `At most ${MAX_LOCALES} locales.`);
  } else {
    for (const [tag, bodies] of Object.entries(input.locales)) {
      const locale = canonicalLocale(tag);
      const path = `locales.${tag}`;
      if (!locale) {
        add(path, `${JSON.stringify(tag)} is not a BCP 47 language tag (e.g. "en", "pt-BR").`);
        continue;
      }
      if (locales[locale]) {
        add(path, `Locale ${locale} appears twice.`);
        continue;
      }
      const checked = validateLocaleBodies(bodies, path, add, syntaxProblem);
      if (checked) locales[locale] = checked;
    }
  }
  let defaultLocale: string | null = null;
  if (typeof input.default_locale !== "string" || !canonicalLocale(input.default_locale)) {
    add("default_locale", 'Give the locale to fall back to, e.g. "en".');
  } else {
    defaultLocale = canonicalLocale(input.default_locale);
    if (
      isObject(input.locales) &&
      defaultLocale &&
      !locales[defaultLocale] &&
      Object.keys(problems).length === 0
    ) {
      add("default_locale", `The template has no locale ${defaultLocale}.`);
    }
  }
  // The HTTP layer refuses these before this runs; a file given to the command line is checked here,
  // rather than reaching PostgreSQL, which refuses "\u0000" in jsonb without naming the field.
  const unstorable = findUnstorableCharacter(input, "");
  if (unstorable !== null) problems[unstorable.field] = [unstorable.problem];
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  return { key: key as string, description, defaultLocale: defaultLocale!, locales };
}

function validateLocaleBodies(
  bodies: unknown,
  path: string,
  add: (field: string, problem: string) => void,
  syntaxProblem: (source: string) => string | null,
): LocaleBodies | null {
  if (!isObject(bodies)) {
    add(path, "Give an object with a body per channel: sms, email, telegram.");
    return null;
  }
  const unknown = Object.keys(bodies).filter((channel) => !(CHANNELS as readonly string[]).includes(channel));
  if (unknown.length > 0)
    add(path, `Unknown channel ${JSON.stringify(unknown[0])}: use sms, email or telegram.`);
  if (Object.keys(bodies).length === 0) add(path, "Give a body for at least one channel.");
  const result: LocaleBodies = {};
  for (const channel of CHANNELS) {
    const body = bodies[channel];
    if (body === undefined) continue;
    const bodyPath = `${path}.${channel}`;
    if (!isObject(body)) {
      add(bodyPath, "Must be an object.");
      continue;
    }
    const allowed = [
      ...BODY_FIELDS[channel].map((f) => f.field),
      ...(channel === "telegram" ? ["parse_mode"] : []),
    ];
    const extra = Object.keys(body).filter((field) => !allowed.includes(field));
    if (extra.length > 0)
      add(bodyPath, `Unknown field ${JSON.stringify(extra[0])}: use ${allowed.join(", ")}.`);
    const checked: Record<string, string | null> = {};
    for (const { field, required } of BODY_FIELDS[channel]) {
      const source = body[field];
      const fieldPath = `${bodyPath}.${field}`;
      if (source == null || source === "") {
        if (required) add(fieldPath, "This field is required.");
        continue;
      }
      if (typeof source !== "string") {
        add(fieldPath, "Must be a string of Liquid source.");
        continue;
      }
      if (source.length > MAX_TEMPLATE_SOURCE_LENGTH) {
        add(fieldPath, `Ensure this field has no more than ${MAX_TEMPLATE_SOURCE_LENGTH} characters.`);
        continue;
      }
      const problem = syntaxProblem(source);
      if (problem) add(fieldPath, problem);
      else checked[field] = source;
    }
    if (channel === "telegram" && body.parse_mode != null && body.parse_mode !== "HTML") {
      add(`${bodyPath}.parse_mode`, 'Only "HTML" is supported (or leave it out for plain text).');
    }
    if (channel === "telegram" && body.parse_mode === "HTML") checked.parse_mode = "HTML";
    (result as Record<string, unknown>)[channel] = checked;
  }
  return result;
}
