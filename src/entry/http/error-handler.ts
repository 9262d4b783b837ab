/**
 * Every error leaves as JSON in the shape Django REST Framework clients already parse:
 * {"field": ["what is wrong"]} when a field is at fault, {"detail": "..."} otherwise.
 * A 5xx never carries internals; they go to the log.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  ConflictError,
  NotFoundError,
  tooLong,
  tooMany,
  UnavailableError,
  ValidationError,
} from "../../core/errors.js";
import { type DatabaseUnavailability, databaseUnavailability } from "../../db/database.js";
import { RFC_3339_PROBLEM } from "../../usecases/create-notification.js";
import { otherMethodsOfPath, sendMethodNotAllowed } from "./method-not-allowed.js";
import { PATTERN_PROBLEMS } from "./schemas.js";

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

export function registerErrorHandler(app: FastifyInstance): void {
  // Authentication (an onRequest hook) has run by now: without a key, /api/ says 401 first.
  app.setNotFoundHandler((request, reply) => {
    const allowed = otherMethodsOfPath(request);
    if (allowed) return sendMethodNotAllowed(reply, request.method, allowed);
    return reply.code(404).send({ detail: "Not found." });
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A body that failed to parse on a path that does not take the method: the method is the
    // problem, as Django REST Framework (which reads a body only in the view) would say.
    if (request.is404) {
      const allowed = otherMethodsOfPath(request);
      if (allowed) return sendMethodNotAllowed(reply, request.method, allowed);
    }
    if (error.validation) {
      return reply.code(400).send(fieldErrors(error.validation as AjvIssue[], error.validationContext));
    }
    if (error instanceof ValidationError) return reply.code(400).send(error.fields);
    if (error instanceof NotFoundError) return reply.code(404).send({ detail: error.message });
    if (error instanceof ConflictError) return reply.code(409).send({ detail: error.message });
    if (error instanceof UnavailableError) {
      return reply.code(503).header("retry-after", "5").send({ detail: error.message });
    }
    const unavailable = databaseUnavailability(error);
    if (unavailable) {
      request.log.warn({ err: error.message, code: error.code, reason: unavailable }, "database unavailable");
      return reply.code(503).header("retry-after", "5").send({ detail: UNAVAILABLE_DETAILS[unavailable] });
    }
    switch (error.code) {
      case "22021": // character_not_in_repertoire: a value PostgreSQL cannot store as text
      case "22P05":
        return reply.code(400).send({ detail: "The request contains characters that cannot be stored." });
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return reply.code(400).send({ detail: `JSON parse error - ${error.message}` });
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return reply.code(413).send({ detail: "Request body is too large." });
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return reply
          .code(415)
          .send({ detail: `Unsupported media type "${request.headers["content-type"] ?? ""}" in request.` });
    }
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ detail: error.message });
    request.log.error({ err: error }, "request failed");
    return reply.code(500).send({ detail: "Internal server error." });
  });
}

/** What a client is told; PostgreSQL's own message, which may name tables, goes to the log. */
const UNAVAILABLE_DETAILS: Readonly<Record<DatabaseUnavailability, string>> = {
  unreachable: "The database is unavailable; try again shortly.",
  no_free_connection: "The database has no free connection for this request; try again shortly.",
  out_of_resources: "The database is short of disk space, memory or a configured limit; try again shortly.",
  read_only: "The database accepts no changes right now (it is read-only); try again shortly.",
  cancelled: "The database did not finish the request in time; try again shortly.",
};

/** What a value failing a `format` must look like instead (Ajv would only name the format). */
const FORMAT_PROBLEMS: Readonly<Record<string, string>> = {
  "date-time": RFC_3339_PROBLEM,
};

/**
 * A URL the router cannot read (a bad percent-escape, a path segment over the length the router
 * takes), answered in the API's error shape; Fastify's own answer echoed the path, which may hold
 * a token (the unsubscribe links, the SMS.ru callback).
 */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH") {
    void reply.code(414).send({ detail: "A part of the path is too long." });
    return;
  }
  if (error.code === "FST_ERR_BAD_URL") {
    void reply
      .code(400)
      .send({ detail: "The path is not a valid URL: it has a percent-escape that does not decode." });
    return;
  }
  void reply
    .code(error.statusCode ?? 500)
    .send({ detail: error.statusCode && error.statusCode < 500 ? error.message : "Internal server error." });
}

/**
 * A field inside an object or a list is named by its dotted path (`notifications.1.user`,
 * `channels.fax`, `locales.en.email.text`), as the use cases name what they check.
 */
function fieldErrors(issues: AjvIssue[], context: string | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  /** Fields whose message only says the value has the wrong shape. */
  const shapeOnly = new Set<string>();
  for (const issue of issues) {
    // A nullable field's null branch (see request-bodies.ts) only says the value is not null.
    if (issue.keyword === "const" && issue.params.allowedValue === null) continue;
    const path = issue.instancePath
      .split("/")
      .filter(Boolean)
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
    let field = path.join(".");
    let problem: string;
    switch (issue.keyword) {
      case "required":
        field = [...path, String(issue.params.missingProperty)].join(".");
        problem = "This field is required.";
        break;
      case "additionalProperties":
        field = [...path, String(issue.params.additionalProperty)].join(".");
        problem = "Unknown field.";
        break;
      case "asSent": // request-bodies.ts: the value as sent, before Ajv coerced it
        problem = String(issue.params.problem);
        break;
      case "type":
        problem =
          issue.params.type === "integer" ? "A valid integer is required." : `Expected ${issue.params.type}.`;
        // A query string only holds text: anything else is a parameter given more than once.
        if (context === "querystring" && issue.params.type === "string")
          problem = "Give this parameter once.";
        break;
      case "enum":
        problem = `Select a valid choice: ${(issue.params.allowedValues as unknown[]).join(", ")}.`;
        break;
      case "format":
        problem = FORMAT_PROBLEMS[String(issue.params.format)] ?? "Enter a valid value.";
        break;
      case "minLength":
        problem =
          issue.params.limit === 1
            ? "This field may not be blank."
            : `Ensure this field has at least ${issue.params.limit} characters.`;
        break;
      case "maxLength":
        problem = tooLong(Number(issue.params.limit));
        break;
      case "minItems":
        problem =
          issue.params.limit === 1
            ? "This list may not be empty."
            : `Ensure this field has at least ${issue.params.limit} elements.`;
        break;
      case "maxItems":
        problem = tooMany(Number(issue.params.limit));
        break;
      case "pattern":
        problem = PATTERN_PROBLEMS[String(issue.params.pattern)] ?? "Enter a valid value.";
        break;
      case "minimum":
      case "maximum":
        problem = `Ensure this value is ${issue.keyword === "minimum" ? "at least" : "at most"} ${issue.params.limit}.`;
        break;
      default:
        problem = issue.message ? `Invalid value: ${issue.message}.` : "Invalid value.";
    }
    if (!field) {
      field = context === "body" ? "non_field_errors" : (context ?? "non_field_errors");
      if (issue.keyword === "type") problem = `Invalid data. Expected a JSON ${issue.params.type}.`;
    }
    const messages = result[field] ?? [];
    // A value failing a union reports once per branch; one message per field is enough.
    if (!result[field]) result[field] = messages;
    if (messages.length === 0) {
      messages.push(problem);
      if (issue.keyword === "type" || issue.keyword === "anyOf") shapeOnly.add(field);
    }
  }
  // A nullable object whose field is wrong also fails as a whole (it is not null either): the
  // field's own message says what to change.
  const fields = Object.keys(result);
  for (const field of fields) {
    if (shapeOnly.has(field) && fields.some((other) => other.startsWith(`${field}.`))) delete result[field];
  }
  return result;
}
