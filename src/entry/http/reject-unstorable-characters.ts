import type { FastifyInstance } from "fastify";
import { ValidationError } from "../../core/errors.js";

/**
 * Text PostgreSQL cannot hold is refused up front, naming the field, as Django REST Framework
 * does: U+0000 fails at the database as a 500, and so does a lone surrogate ("\ud800" in JSON) in
 * a jsonb column, while in a text column it was silently stored as U+FFFD.
 */
export function registerUnstorableCharacterCheck(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    // A path or query value under /api/ (a template key, ?search=) is looked up in PostgreSQL too;
    // the pages outside it (/u/) answer a bad link in HTML themselves.
    const lookups = request.url.startsWith("/api/") ? [request.params, request.query] : [];
    for (const part of [request.body, ...lookups]) {
      const found = findUnstorableCharacter(part, "");
      if (found !== null) throw ValidationError.of(found.field || "non_field_errors", found.problem);
    }
  });
}

const LONE_SURROGATE = /\p{Cs}/u;

function problemOf(text: string): string | null {
  if (text.includes("\u0000")) return "Null characters are not allowed.";
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate === null) return null;
  const code = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
  return `Surrogate characters are not allowed: U+${code}.`;
}

function findUnstorableCharacter(
  value: unknown,
  path: string,
  depth = 0,
): { field: string; problem: string } | null {
  if (typeof value === "string") {
    const problem = problemOf(value);
    return problem === null ? null : { field: path, problem };
  }
  if (value === null || typeof value !== "object" || depth > 32) return null;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path === "" ? key : path;
    const problem = problemOf(key);
    if (problem !== null) return { field: itemPath, problem };
    const found = findUnstorableCharacter(item, itemPath, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
