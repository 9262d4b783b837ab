/** /api/webhooks/: signed status webhooks (Standard Webhooks), their deliveries, replay and test. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  replayWebhookDelivery,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhook,
  type WebhookDeps,
} from "../../webhooks/manage-webhooks.js";
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from "../../webhooks/webhook-event-types.js";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_LIMITS } from "../../webhooks/webhook-model.js";
import { serializeDelivery, serializeEndpoint, serializeWithSecret } from "../webhooks-json.js";
import type { HttpDeps } from "./http-deps.js";
import { pageParams, paginate } from "./pagination.js";
import { CursorPageQuery, ErrorBody, IdParams, Page, PageQuery } from "./schemas.js";

const MAX_ID = Number.MAX_SAFE_INTEGER;
const Timestamp = Type.String({ format: "date-time" });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

const EventList = Type.Array(Type.String({ maxLength: 100 }), {
  minItems: 1,
  maxItems: WEBHOOK_LIMITS.events,
  description: `Event types to receive: ${WEBHOOK_EVENT_TYPES.join(", ")}; or ["${ALL_EVENTS}"] for all, including types added later`,
});

const WebhookBody = {
  url: Type.String({
    minLength: 1,
    maxLength: WEBHOOK_LIMITS.url,
    description:
      "http(s) URL that receives a POST per event. Refused when its host resolves to a loopback, private, link-local or metadata address, unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true",
  }),
  events: EventList,
  description: Type.String({ maxLength: WEBHOOK_LIMITS.description }),
  enabled: Type.Boolean({
    description: "false: no events are sent to it (true again re-enables a disabled one)",
  }),
};

const CreateWebhookBody = Type.Object(
  {
    url: WebhookBody.url,
    events: WebhookBody.events,
    description: Type.Optional(WebhookBody.description),
    enabled: Type.Optional(WebhookBody.enabled),
  },
  {
    additionalProperties: false,
    examples: [
      {
        url: "https://example.com/hooks/notifications",
        events: ["notification.sent", "notification.failed"],
      },
    ],
  },
);

const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(WebhookBody.url),
    events: Type.Optional(WebhookBody.events),
    description: Type.Optional(WebhookBody.description),
    enabled: Type.Optional(WebhookBody.enabled),
  },
  { additionalProperties: false, examples: [{ enabled: true }] },
);

const endpointFields = {
  id: Type.Integer(),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  disabled_reason: Type.Union([Type.String(), Type.Null()], {
    description: "Why the service disabled it (every delivery failed for WEBHOOK_DISABLE_AFTER_DAYS)",
  }),
  failing_since: Type.Union([Timestamp, Type.Null()], {
    description: "Since when every attempt has failed; null after a success",
  }),
  created_at: Timestamp,
  updated_at: Timestamp,
};

const webhookExample = {
  id: 1,
  url: "https://example.com/hooks/notifications",
  description: "",
  events: ["notification.sent", "notification.failed"],
  enabled: true,
  disabled_reason: null,
  failing_since: null,
  created_at: "2026-11-30T10:00:00.000Z",
  updated_at: "2026-11-30T10:00:00.000Z",
};

const WebhookSchema = Type.Object(endpointFields, { examples: [webhookExample] });

const WebhookWithSecret = Type.Object(
  {
    ...endpointFields,
    secret: Type.String({
      description:
        "whsec_ + base64 key for verifying signatures. Shown only here (and when rotated): store it now",
    }),
  },
  {
    examples: [{ ...webhookExample, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }],
  },
);

const DeliverySchema = Type.Object(
  {
    id: Type.Integer(),
    event_id: Type.String({ description: "The webhook-id header: the same on every attempt and replay" }),
    event_type: Type.String(),
    status: Type.Enum(WEBHOOK_DELIVERY_STATUSES),
    attempt_count: Type.Integer({ description: "Attempts since it was created or last replayed" }),
    next_attempt_at: Type.Union([Timestamp, Type.Null()], {
      description: "While pending: when it is sent next",
    }),
    created_at: Timestamp,
    finished_at: NullableTimestamp,
    attempts: Type.Array(
      Type.Object({
        attempted_at: Timestamp,
        response_status: Type.Union([Type.Integer(), Type.Null()], {
          description: "The endpoint's HTTP status; null when it gave none",
        }),
        response_body: Type.Union([Type.String(), Type.Null()], {
          description: "The first 1 KB of its answer",
        }),
        error: Type.Union([Type.String(), Type.Null()]),
        duration_ms: Type.Integer(),
      }),
      { description: "Every attempt, oldest first" },
    ),
  },
  {
    examples: [
      {
        id: 7,
        event_id: "msg_2Yf8kQ1nZr4tXo0bL3cV9a",
        event_type: "notification.sent",
        status: "succeeded",
        attempt_count: 1,
        next_attempt_at: null,
        created_at: "2026-11-30T10:00:01.000Z",
        finished_at: "2026-11-30T10:00:01.210Z",
        attempts: [
          {
            attempted_at: "2026-11-30T10:00:01.020Z",
            response_status: 200,
            response_body: "ok",
            error: null,
            duration_ms: 190,
          },
        ],
      },
    ],
  },
);

const DeliveryParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: MAX_ID, description: "The webhook's id" }),
  delivery_id: Type.Integer({ minimum: 1, maximum: MAX_ID, description: "The delivery's id" }),
});

export const webhooksRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  const webhookDeps: WebhookDeps = {
    webhooks: deps.core.webhooks,
    webhookWakeUps: deps.core.webhookWakeUps,
    allowPrivateNetworks: deps.config.webhooks.allowPrivateNetworks,
    logger: app.log,
  };
  const tags = ["webhooks"];

  app.post(
    "/api/webhooks/",
    {
      schema: {
        tags,
        operationId: "createWebhook",
        summary: "Register a webhook endpoint",
        description:
          "Returns the endpoint with its signing secret, shown this once. Events reach it from within 5 seconds (each process re-reads the subscriptions that often).",
        body: CreateWebhookBody,
        response: { 201: WebhookWithSecret, 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const endpoint = await createWebhook(webhookDeps, request.body);
      reply.code(201);
      return serializeWithSecret(endpoint);
    },
  );

  app.get(
    "/api/webhooks/",
    {
      schema: {
        tags,
        operationId: "listWebhooks",
        summary: "List webhook endpoints, oldest first",
        querystring: PageQuery,
        response: { 200: Page(WebhookSchema), 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const page = pageParams(request.query);
      const found = await listWebhooks(webhookDeps, page.window);
      return paginate(request, page.page, page.pageSize, {
        count: found.count,
        results: found.results.map(serializeEndpoint),
      });
    },
  );

  app.get(
    "/api/webhooks/:id/",
    {
      schema: {
        tags,
        operationId: "getWebhook",
        summary: "Get a webhook endpoint (without its secret)",
        params: IdParams,
        response: { 200: WebhookSchema, 404: ErrorBody },
      },
    },
    async (request) => serializeEndpoint(await getWebhook(webhookDeps, request.params.id)),
  );

  app.patch(
    "/api/webhooks/:id/",
    {
      schema: {
        tags,
        operationId: "updateWebhook",
        summary: "Change a webhook endpoint",
        description:
          "Only the fields given change. enabled: true re-enables an endpoint the service disabled.",
        params: IdParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => serializeEndpoint(await updateWebhook(webhookDeps, request.params.id, request.body)),
  );

  app.delete(
    "/api/webhooks/:id/",
    {
      schema: {
        tags,
        operationId: "deleteWebhook",
        summary: "Delete a webhook endpoint and its deliveries",
        params: IdParams,
        response: { 204: Type.Null(), 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await deleteWebhook(webhookDeps, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/webhooks/:id/rotate-secret/",
    {
      schema: {
        tags,
        operationId: "rotateWebhookSecret",
        summary: "Issue a new signing secret",
        description:
          "Returns the new secret, shown this once. For 24 hours the previous secret signs too (two signatures in webhook-signature), so receivers can switch without losing events.",
        params: IdParams,
        response: { 200: WebhookWithSecret, 404: ErrorBody },
      },
    },
    async (request) => serializeWithSecret(await rotateWebhookSecret(webhookDeps, request.params.id)),
  );

  app.get(
    "/api/webhooks/:id/deliveries/",
    {
      schema: {
        tags,
        operationId: "listWebhookDeliveries",
        summary: "The endpoint's deliveries, newest first, each with its attempts",
        params: IdParams,
        querystring: CursorPageQuery,
        response: { 200: Page(DeliverySchema), 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { page, pageSize, window } = pageParams(request.query);
      const { results, ...counted } = await listWebhookDeliveries(webhookDeps, request.params.id, window);
      return paginate(request, page, pageSize, {
        ...counted,
        results: results.map(serializeDelivery),
      });
    },
  );

  app.post(
    "/api/webhooks/:id/deliveries/:delivery_id/replay/",
    {
      schema: {
        tags,
        operationId: "replayWebhookDelivery",
        summary: "Send a delivery again now",
        description:
          "Pending again, due now, with a fresh retry schedule and the same webhook-id (receivers deduplicate on it). 404 while it is being sent; 409 when the endpoint is disabled.",
        params: DeliveryParams,
        response: { 202: DeliverySchema, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const delivery = await replayWebhookDelivery(
        webhookDeps,
        request.params.id,
        request.params.delivery_id,
      );
      reply.code(202);
      return serializeDelivery(delivery);
    },
  );

  app.post(
    "/api/webhooks/:id/test/",
    {
      schema: {
        tags,
        operationId: "testWebhook",
        summary: "Send a webhook.test event to this endpoint",
        description: "To this endpoint only, whatever it subscribes to; signed and retried like any event.",
        params: IdParams,
        response: { 202: DeliverySchema, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const delivery = await sendTestWebhook(webhookDeps, request.params.id);
      reply.code(202);
      return serializeDelivery(delivery);
    },
  );
};
