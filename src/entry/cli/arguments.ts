import { InvalidArgumentError } from "commander";

/** A database id: a whole number of at least 1. Anything else is a usage error (exit 2). */
export function parseId(value: string): number {
  const id = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
    throw new InvalidArgumentError("expected a whole number of at least 1.");
  }
  return id;
}
