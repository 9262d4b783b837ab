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

/**
 * The first string or key holding unstorable text, named by its top-level field. Every level is
 * looked at (a body is at most BODY_LIMIT_BYTES), with a list of its own rather than recursion,
 * so no nesting is deep enough to hide one or to overflow the stack.
 */
function findUnstorableCharacter(value: unknown, path: string): { field: string; problem: string } | null {
  const pending: { value: unknown; field: string }[] = [{ value, field: path }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value === "string") {
      const problem = problemOf(next.value);
      if (problem !== null) return { field: next.field, problem };
      continue;
    }
    if (next.value === null || typeof next.value !== "object") continue;
    const items = Object.entries(next.value);
    for (const [key] of items) {
      const problem = problemOf(key);
      if (problem !== null) return { field: next.field === "" ? key : next.field, problem };
    }
    // Last first onto the list, so the first in the body is the one named.
    for (const [key, item] of items.reverse())
      pending.push({ value: item, field: next.field === "" ? key : next.field });
  }
  return null;
}
