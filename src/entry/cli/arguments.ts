import { InvalidArgumentError } from "commander";

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
