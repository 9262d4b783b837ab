import { lengthProblem, tooMany } from "./errors.js";
import { CHANNELS } from "./model.js";

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
 * What the HTTP schema refuses in a notification's content before the use case runs (lengths, the
 * number of channels): these replace the use case's own problem with a field, as the API answers
 * them first. Text PostgreSQL cannot hold is refused where input enters (the HTTP layer, the
 * command line's refuseUnstorableText), not here on every notification's path.
 */
export function addNotificationLengthProblems(
  input: Record<string, unknown>,
  problems: Record<string, string[]>,
): void {
  for (const [field, limit] of Object.entries(NOTIFICATION_FIELD_MAX_LENGTHS)) {
    const value = input[field];
    const problem = typeof value === "string" ? lengthProblem(value, limit) : null;
    if (problem !== null) problems[field] = [problem];
  }
  if (Array.isArray(input.channels) && input.channels.length > CHANNELS.length) {
    problems.channels = [tooMany(CHANNELS.length)];
  }
}
