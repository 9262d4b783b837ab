import type { FastifyInstance } from "fastify";
import { ValidationError } from "../../core/errors.js";

/**
 * PostgreSQL text cannot hold U+0000, so a string carrying one would fail at the database as a
 * 500. It is refused up front, naming the field, as Django REST Framework does.
 */
export function registerNullCharacterCheck(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const field = findNullCharacter(request.body, "");
    if (field !== null)
      throw ValidationError.of(field || "non_field_errors", "Null characters are not allowed.");
  });
}

function findNullCharacter(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (value === null || typeof value !== "object" || depth > 32) return null;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path === "" ? key : path;
    if (key.includes("\u0000")) return itemPath;
    const found = findNullCharacter(item, itemPath, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
