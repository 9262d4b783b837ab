import { lengthProblem } from "./errors.js";
import { findUnstorableCharacter } from "./unstorable-text.js";

/**
 * The most characters each text field of a user takes. The HTTP schemas declare them, and the use
 * cases check them again for input that does not come through those schemas (a file given to the
 * command line), so that both refuse the same values with the same words.
 */
export const USER_FIELD_MAX_LENGTHS = {
  email: 254,
  password: 256,
  first_name: 150,
  last_name: 150,
  phone_number: 32,
  telegram_id: 32,
  locale: 35,
  timezone: 64,
} as const;

/**
 * What the HTTP layer refuses in a user's text fields before a use case runs (each field's length,
 * and text PostgreSQL cannot hold), for input that does not come through it: a file or an option
 * given to the command line. A field already in `problems` keeps its first problem.
 */
export function addUserTextProblems(item: Record<string, unknown>, problems: Record<string, string[]>): void {
  for (const [field, limit] of Object.entries(USER_FIELD_MAX_LENGTHS)) {
    const value = item[field];
    const problem = typeof value === "string" ? lengthProblem(value, limit) : null;
    if (problem !== null && !problems[field]) problems[field] = [problem];
  }
  const unstorable = findUnstorableCharacter(item, "");
  if (unstorable !== null && !problems[unstorable.field]) problems[unstorable.field] = [unstorable.problem];
}
