import type { Metadata } from "./model.js";

/** Enough for the labels a backend keeps (ids, a tenant, a campaign), small enough to index. */
export const MAX_METADATA_KEYS = 20;
export const MAX_METADATA_KEY_LENGTH = 40;
export const MAX_METADATA_VALUE_LENGTH = 500;
const KEY = /^[A-Za-z0-9_.:-]+$/;

/**
 * The caller's labels on a notification: an object of at most MAX_METADATA_KEYS string values.
 * Null when absent or empty. Problems go into `problems` under `field`.
 */
export function validateMetadata(
  value: unknown,
  problems: Record<string, string[]>,
  field = "metadata",
): Metadata | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    problems[field] = ['Give an object of strings, e.g. {"order_id": "A-1042"}.'];
    return null;
  }
  const entries = Object.entries(value);
  const found: string[] = [];
  if (entries.length > MAX_METADATA_KEYS) found.push(`Give at most ${MAX_METADATA_KEYS} keys.`);
  for (const [key, text] of entries) {
    if (key.length > MAX_METADATA_KEY_LENGTH || !KEY.test(key)) {
      found.push(
        `Key ${JSON.stringify(key.slice(0, 60))}: use 1 to ${MAX_METADATA_KEY_LENGTH} letters, digits, "_", "-", "." or ":".`,
      );
    } else if (typeof text !== "string") {
      found.push(`Value of ${JSON.stringify(key)}: must be a string.`);
    } else if (text.length > MAX_METADATA_VALUE_LENGTH) {
      found.push(`Value of ${JSON.stringify(key)}: at most ${MAX_METADATA_VALUE_LENGTH} characters.`);
    } else if (!text.isWellFormed() || text.includes("\u0000")) {
      // PostgreSQL's jsonb refuses both, so they are refused here rather than as a server error.
      found.push(`Value of ${JSON.stringify(key)}: contains a NUL or an unpaired surrogate.`);
    }
  }
  if (found.length > 0) {
    problems[field] = found;
    return null;
  }
  return entries.length === 0 ? null : (value as Metadata);
}

/**
 * A list filter written `key:value` (the value may hold further colons): the notifications whose
 * metadata has that key with that value. Null, with the problem in `problems`, when it is not.
 */
export function parseMetadataFilter(filter: string, problems: Record<string, string[]>): Metadata | null {
  const colon = filter.indexOf(":");
  if (colon < 1) {
    problems.metadata = ['Write key:value, e.g. "order_id:A-1042".'];
    return null;
  }
  return validateMetadata({ [filter.slice(0, colon)]: filter.slice(colon + 1) }, problems);
}
