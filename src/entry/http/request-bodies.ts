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
    parseJson(request, body as string, (error, parsed) => {
      if (error) error.message = jsonProblem(body as string);
      done(error, parsed);
    });
  });
}

/**
 * Why Fastify's parser refused `body`, for the 400 (its own message only says it is not JSON):
 * what breaks the syntax and where, or that the JSON is valid but has a `__proto__` or
 * `constructor.prototype` key, which it refuses. Never the text around the fault, which may be a
 * password.
 */
export function jsonProblem(body: string): string {
  try {
    JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    // V8's messages that give a position hold none of the body; the others may quote it.
    const where = /^[^"]* (?:in|after) JSON at position \d+/.exec(message);
    if (where) return `${where[0]}.`;
    if (message.startsWith("Unexpected end of JSON input")) return "Unexpected end of JSON input.";
    return "Body is not valid JSON.";
  }
  return 'Body has a "__proto__" or "constructor.prototype" key, which is not accepted.';
}

/**
 * Fastify's own validator factory, given each request schema as strictAboutCoercion rewrites it.
 * Ajv's coerceTypes reads "5" as 5 for ids, which clients rely on, but it coerces much more:
 * "", 0 and false became null wherever null is allowed (`"ttl_seconds": 0` was no expiry at all),
 * null became "", 0 or false where it is not (`"enabled": null` turned a webhook off), true became
 * 1 and "true" (`"user": true` sent to user 1), and any string JavaScript reads as a number became
 * one ("0x10" was id 16, "Infinity" reached PostgreSQL as a 500). The documented schema stays as
 * it is; only the validator sees the rewrite.
 */
export function validatorFactoryWithStrictCoercion(): AjvCompiler.ValidatorFactory {
  const buildValidator = AjvCompiler();
  return (externalSchemas, options) => {
    const compile = buildValidator(externalSchemas, {
      ...options,
      onCreate: (ajv) => {
        ajv.addKeyword({ keyword: "asSent", schemaType: "string", errors: true, compile: compileAsSent });
        options?.onCreate?.(ajv);
      },
    });
    return (route) => compile({ ...route, schema: strictAboutCoercion(route.schema) });
  };
}

type ScalarType = "string" | "integer" | "number" | "boolean";
const SCALAR_TYPES: ReadonlySet<string> = new Set<ScalarType>(["string", "integer", "number", "boolean"]);
const INTEGER_TEXT = /^-?[0-9]+$/;
const NUMBER_TEXT = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * What is wrong with `value`, as sent, for a field of type `type`, before Ajv coerces it; null when
 * Ajv may go on (a number as text for a number, a number for a string, "true" for a boolean).
 */
export function problemAsSent(type: ScalarType, value: unknown): string | null {
  if (value === null) return "This field may not be null.";
  const integer = type === "integer";
  if (typeof value === "boolean" && type !== "boolean") {
    return integer
      ? "A valid integer is required."
      : type === "number"
        ? "A valid number is required."
        : "Not a valid string.";
  }
  if (typeof value === "string" && (integer || type === "number")) {
    if (!(integer ? INTEGER_TEXT : NUMBER_TEXT).test(value)) {
      return integer ? "A valid integer is required." : "A valid number is required.";
    }
  }
  return null;
}

/** The Ajv keyword `asSent: <type>`: the value as sent must suit the type; the error carries the message. */
function compileAsSent(type: ScalarType) {
  const validate = (value: unknown): boolean => {
    const problem = problemAsSent(type, value);
    validate.errors = problem === null ? [] : [{ keyword: "asSent", message: problem, params: { problem } }];
    return problem === null;
  };
  validate.errors = [] as { keyword: string; message: string; params: { problem: string } }[];
  return validate;
}

/**
 * A copy of `schema` in which every `anyOf` branch `{ type: "null" }` is `{ const: null }`, which
 * Ajv never coerces to, and comes first: Ajv tries branches in order and coerces in place, so a
 * null tried against `integer` first would be read as 0 before the null branch saw it. Every
 * scalar schema is checked as sent (asSent) before its own `type` may coerce the value: in an
 * `allOf`, which Ajv evaluates in order, so the check sees the value the client sent.
 */
export function strictAboutCoercion<T>(schema: T): T {
  return rewrite(schema) as T;
}

function rewrite(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewrite);
  if (schema === null || typeof schema !== "object") return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // Values, not schemas: an example or a constant is never rewritten.
    copy[key] =
      key === "examples" || key === "default" || key === "const" || key === "enum" ? value : rewrite(value);
  }
  if (typeof copy.type === "string" && SCALAR_TYPES.has(copy.type)) {
    return { allOf: [{ asSent: copy.type }, copy] };
  }
  if (!Array.isArray(copy.anyOf)) return copy;
  const branches = copy.anyOf as unknown[];
  const isNull = (branch: unknown) =>
    typeof branch === "object" && branch !== null && (branch as Record<string, unknown>).type === "null";
  if (!branches.some(isNull)) return copy;
  return { ...copy, anyOf: [{ const: null }, ...branches.filter((branch) => !isNull(branch))] };
}
