import AjvCompiler from "@fastify/ajv-compiler";
import type { FastifyInstance } from "fastify";

/**
 * An empty body sent as application/json is no body, as Django REST Framework reads it: clients
 * that send the header on every call can still POST to retry, cancel or test, which take none.
 * A route that needs a body still answers 400 for it. Everything else is Fastify's own parser.
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    parseJson(request, body as string, done);
  });
}

/**
 * Fastify's own validator factory, given each request body schema as withoutNullCoercion rewrites
 * it. Ajv's coerceTypes reads "5" as 5 for ids, but it also reads "", 0 and false as null wherever
 * null is allowed: `"ttl_seconds": 0` became no expiry at all, `"expires_at": ""` too. In a body,
 * null is only null; the documented schema keeps its `anyOf` as it is.
 */
export function validatorFactoryWithoutNullCoercion(): AjvCompiler.ValidatorFactory {
  const buildValidator = AjvCompiler();
  return (externalSchemas, options) => {
    const compile = buildValidator(externalSchemas, options);
    return (route) =>
      compile(route.httpPart === "body" ? { ...route, schema: withoutNullCoercion(route.schema) } : route);
  };
}

/**
 * A copy of `schema` in which every `anyOf` branch `{ type: "null" }` is `{ const: null }`, which
 * Ajv never coerces to, and comes first: Ajv tries branches in order and coerces in place, so a
 * null tried against `integer` first would be read as 0 before the null branch saw it.
 */
export function withoutNullCoercion<T>(schema: T): T {
  return rewrite(schema) as T;
}

function rewrite(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewrite);
  if (schema === null || typeof schema !== "object") return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = rewrite(value);
  if (!Array.isArray(copy.anyOf)) return copy;
  const branches = copy.anyOf as unknown[];
  const isNull = (branch: unknown) =>
    typeof branch === "object" && branch !== null && (branch as Record<string, unknown>).type === "null";
  if (!branches.some(isNull)) return copy;
  return { ...copy, anyOf: [{ const: null }, ...branches.filter((branch) => !isNull(branch))] };
}
