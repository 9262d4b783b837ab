import { InvalidArgumentError } from "commander";
import { ValidationError } from "../../core/errors.js";
import { findUnstorableCharacter } from "../../core/unstorable-text.js";

/** A database id: a whole number of at least 1. Anything else is a usage error (exit 2). */
export function parseId(value: string): number {
  const id = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
    throw new InvalidArgumentError("expected a whole number of at least 1.");
  }
  return id;
}

/** A number of days greater than 0 (fractions allowed). Anything else is a usage error (exit 2). */
export function parseDays(value: string): number {
  const days = Number(value);
  if (value.trim() === "" || !Number.isFinite(days) || days <= 0 || days > 36_500) {
    throw new InvalidArgumentError("expected a number of days greater than 0.");
  }
  return days;
}

/** A template's data: a JSON object. Anything else is a usage error (exit 2). */
export function parseJsonObject(value: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Reported below, as any other value that is not an object.
  }
  throw new InvalidArgumentError('expected a JSON object, e.g. {"issue": 12}.');
}

/** Seconds as a whole number; its range is the use case's to check, as the API's. */
export function parseWholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number.");
  return Number(value);
}

/**
 * One `--metadata key=value` added to those before it (the option repeats). The key and value are
 * checked by the use case, like the API's; a missing "=" is a usage error (exit 2).
 */
export function collectMetadata(value: string, earlier: Record<string, string> = {}): Record<string, string> {
  const equals = value.indexOf("=");
  if (equals < 1) throw new InvalidArgumentError("expected key=value, e.g. order_id=A-1042.");
  return { ...earlier, [value.slice(0, equals)]: value.slice(equals + 1) };
}

/**
 * The HTTP layer refuses text PostgreSQL cannot store (a NUL, a lone surrogate) before any use case
 * runs; the command line refuses it at its own entry, naming the field in the same words, so that
 * the use cases on the API's path do not look for it a second time.
 */
export function refuseUnstorableText(input: Record<string, unknown>): void {
  const found = findUnstorableCharacter(input, "");
  if (found !== null) throw ValidationError.of(found.field, found.problem);
}
