import type { FastifyInstance } from "fastify";
import { ValidationError } from "../../core/errors.js";
import { findUnstorableCharacter } from "../../core/unstorable-text.js";

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
