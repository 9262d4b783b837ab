/**
 * SMS.ru's delivery-status callback, outside /api/ like the unsubscribe link: SMS.ru sends no API
 * key and signs nothing, so the secret path segment (SMS_RU_CALLBACK_TOKEN) is what keeps others
 * out. A wrong token, or none configured, answers exactly as an unknown path does, before the body
 * is read. SMS.ru repeats a callback until it gets the plain text `100`.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { NOT_A_CALLBACK, parseSmsRuCallback } from "../../channels/sms-ru/sms-ru-callback.js";
import { recordPostedReceipts } from "../../receipts/posted-receipts.js";
import type { HttpDeps } from "./http-deps.js";
import { sendMethodNotAllowed } from "./method-not-allowed.js";
import { ErrorBody } from "./schemas.js";
import { webhookEmitterFor } from "./webhook-events.js";

/** A callback of the most entries the parser takes (1000) is about 50 KiB. */
const CALLBACK_BODY_LIMIT = 128 * 1024;

const CallbackBody = Type.Record(Type.String(), Type.String(), {
  description:
    'An SMS.ru callback: fields data[0], data[1], ..., each lines joined by "\\n": the event type (sms_status), the sms_id, the status code (as in /sms/status) and the Unix time of the change. Other event types are ignored.',
  examples: [
    {
      "data[0]": "sms_status\n000000-000001\n103\n1764720000",
      "data[1]": "sms_status\n000000-000002\n102\n1764720003",
    },
  ],
});

export const smsRuCallbackRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  const expected = deps.config.sms?.callbackToken ?? null;
  // Form bodies only, and small ones, in this scope.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: CALLBACK_BODY_LIMIT },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  app.addHook("onRequest", async (request, reply) => {
    const { token } = request.params as { token?: string };
    if (expected === null || token === undefined || !sameSecret(token, expected)) return reply.callNotFound();
    if (request.method !== "POST") return sendMethodNotAllowed(reply, request.method, ["POST"]);
  });
  // The other methods are routed here only so that the token is checked before a 405 says the
  // path exists; the not-found handler would answer them 405 whatever the token.
  app.route({
    method: ["GET", "PUT", "PATCH", "DELETE"],
    url: "/callbacks/sms-ru/:token",
    schema: { hide: true },
    handler: async (request, reply) => sendMethodNotAllowed(reply, request.method, ["POST"]),
  });
  const useCaseDeps = {
    store: deps.core.receipts,
    wakeUps: deps.core.wakeUps,
    events: deps.core.notificationEvents,
    webhooks: webhookEmitterFor(app, deps),
    logger: app.log,
  };

  app.post(
    "/callbacks/sms-ru/:token",
    {
      // An empty POST has no body at all: it is told what a callback is, as an empty form is,
      // rather than that its body is not an object.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ["callbacks"],
        operationId: "smsRuStatusCallback",
        summary: "SMS.ru's delivery-status callback",
        description:
          "Register {PUBLIC_URL}/callbacks/sms-ru/{SMS_RU_CALLBACK_TOKEN} in your SMS.ru account. Each sms_status entry is recorded as a receipt of the accepted SMS it names, as a poll's answer would be; entries for unknown messages are ignored. Answers the plain text 100 that SMS.ru expects. No API key: a wrong token, or none configured, answers 404.",
        security: [],
        consumes: ["application/x-www-form-urlencoded"],
        params: Type.Object({
          token: Type.String({ maxLength: 200, description: "SMS_RU_CALLBACK_TOKEN" }),
        }),
        body: CallbackBody,
        response: {
          200: {
            description: "Taken (SMS.ru stops repeating it)",
            content: { "text/plain": { schema: Type.String(), example: "100" } },
          },
          400: {
            ...ErrorBody,
            description: "Not an SMS.ru callback; nothing was recorded",
            examples: [{ detail: NOT_A_CALLBACK }],
          },
          404: {
            ...ErrorBody,
            description: "Wrong token, or no SMS_RU_CALLBACK_TOKEN configured (as for an unknown path)",
            examples: [{ detail: "Not found." }],
          },
        },
      },
    },
    async (request, reply) => {
      const parsed = parseSmsRuCallback(Object.entries(request.body));
      if ("invalid" in parsed) return reply.code(400).send({ detail: parsed.invalid });
      if (parsed.malformed > 0) {
        useCaseDeps.logger.warn(
          { entries: parsed.malformed },
          "ignored sms_status entries of an SMS.ru callback that do not parse",
        );
      }
      await recordPostedReceipts(useCaseDeps, "sms", parsed.reports);
      return reply.code(200).header("content-type", "text/plain; charset=utf-8").send("100");
    },
  );
};

/** Compares digests, so the time taken says nothing of the token, its length included. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
