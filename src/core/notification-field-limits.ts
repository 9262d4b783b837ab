import { tooLong, tooMany } from "./errors.js";
import { CHANNELS } from "./model.js";
import { findUnstorableCharacter } from "./unstorable-text.js";

/**
 * The most characters each short text field of a notification (or a broadcast) takes. The HTTP
 * schemas declare them, and the use case checks them again for input that does not come through
 * those schemas (the command line), so that both refuse the same values with the same words.
 */
export const NOTIFICATION_FIELD_MAX_LENGTHS = {
  template: 100,
  subject: 255,
  category: 64,
} as const;

/**
 * What the HTTP layer refuses in a notification's content before the use case runs (lengths, the
 * number of channels, text PostgreSQL cannot hold, such as "\u0000" in a template's data): these
 * replace the use case's own problem with a field, as the API answers them first.
 */
export function addNotificationTextProblems(
  input: Record<string, unknown>,
  problems: Record<string, string[]>,
): void {
  for (const [field, limit] of Object.entries(NOTIFICATION_FIELD_MAX_LENGTHS)) {
    const value = input[field];
    // Counted in characters (code points), as the schema's maxLength counts them.
    if (typeof value === "string" && value.length > limit && [...value].length > limit) {
      problems[field] = [tooLong(limit)];
    }
  }
  if (Array.isArray(input.channels) && input.channels.length > CHANNELS.length) {
    problems.channels = [tooMany(CHANNELS.length)];
  }
  const unstorable = findUnstorableCharacter(input, "");
  if (unstorable !== null) problems[unstorable.field] = [unstorable.problem];
}
