/**
 * Errors the use cases raise for the entry points to translate (HTTP status, CLI exit code).
 * They carry what is wrong in words a client can act on, never a secret or a stack.
 */

/** Input that breaks a rule; `fields` maps each field to what is wrong with it. */
export class ValidationError extends Error {
  override name = "ValidationError";
  constructor(readonly fields: Record<string, string[]>) {
    super(
      Object.entries(fields)
        .map(([field, problems]) => `${field}: ${problems.join(" ")}`)
        .join("; "),
    );
  }
  static of(field: string, problem: string): ValidationError {
    return new ValidationError({ [field]: [problem] });
  }
}

/** Notifications for users that do not exist (any more): none of the batch was stored. */
export class UnknownUsersError extends Error {
  override name = "UnknownUsersError";
  /** The users found missing; empty when one vanished mid-statement and could not be named. */
  constructor(readonly userIds: number[]) {
    super(`Unknown users: ${userIds.join(", ")}`);
  }
}

/** What a request naming a user that does not exist is told, in the original service's words. */
/** Django's words for a unique email taken, whatever its case. */
export const EMAIL_TAKEN_MESSAGE = "user with this email already exists.";

/**
 * A value longer than a field takes, and a list longer than it takes, in Django REST Framework's
 * words: said by the HTTP schema check and by the use cases that check again for the command line.
 */
export const tooLong = (limit: number) => `Ensure this field has no more than ${limit} characters.`;
export const tooMany = (limit: number) => `Ensure this field has no more than ${limit} elements.`;

/**
 * tooLong(limit) when `text` has more characters than `limit`, else null. Characters are code
 * points, as the schemas' maxLength counts them; the UTF-16 length bounds that count, so the
 * common short value is never split up.
 */
export function lengthProblem(text: string, limit: number): string | null {
  return text.length > limit && [...text].length > limit ? tooLong(limit) : null;
}

export const unknownUserMessage = (userId: number) => `Invalid pk "${userId}" - object does not exist.`;

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** A path or filter naming a user that does not exist: one sentence wherever it is said. */
export const userNotFound = (userId: number) => new NotFoundError(`User ${userId} not found.`);

/** The request is valid but conflicts with the current state (a reused key, a finished notification). */
export class ConflictError extends Error {
  override name = "ConflictError";
}

/** Something the request needs from outside (a provider's API) does not answer now; worth a retry. */
export class UnavailableError extends Error {
  override name = "UnavailableError";
}

/**
 * A notification rendered from a remembered recipient and template was not stored: one of the two
 * rows changed (or went) since it was read. The caller reads them again and renders afresh.
 */
export class RenderedFromChangedError extends Error {
  override name = "RenderedFromChangedError";
}
