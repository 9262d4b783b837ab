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
