/** /api/broadcasts/: one message to many users, fanned out by the workers. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { BROADCAST_STATUSES, MAX_UNKNOWN_USERS_SHOWN } from "../../broadcasts/broadcast-model.js";
import {
  type BroadcastDeps,
  cancelBroadcast,
  createBroadcast,
  getBroadcast,
  listBroadcasts,
  MAX_BROADCAST_USERS,
} from "../../broadcasts/manage-broadcasts.js";
import { NOTIFICATION_STATUSES, PRIORITIES } from "../../core/model.js";
import { serializeBroadcast } from "../broadcasts-json.js";
import type { HttpDeps } from "./http-deps.js";
import { pageParams, paginate } from "./pagination.js";
import {
  CreateNotificationBody,
  CreateNotificationHeaders,
  ErrorBody,
  IdParams,
  MetadataOutput,
  Page,
  PageQuery,
} from "./schemas.js";
import { webhookEmitterFor } from "./webhook-events.js";

/** 100,000 ids of up to 15 digits, with room for the rest of the body. */
const BROADCAST_BODY_LIMIT = 2 * 1024 * 1024;
const MAX_ID = Number.MAX_SAFE_INTEGER;
const Timestamp = Type.String({ format: "date-time" });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const { user: _user, ...contentFields } = CreateNotificationBody.properties;

const CreateBroadcastBody = Type.Object(
  {
    users: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: MAX_ID }), {
        minItems: 1,
        maxItems: MAX_BROADCAST_USERS,
        description: `The recipients' user ids (at most ${MAX_BROADCAST_USERS}; duplicates are removed, unknown ids are reported in unknown_users and skipped). Not with all_users.`,
      }),
    ),
    all_users: Type.Optional(
      Type.Boolean({
        description: "true: every user that exists when the broadcast is created. Not with users.",
      }),
    ),
    ...contentFields,
  },
  {
    additionalProperties: false,
    examples: [
      { users: [1, 2, 3], message: "We are down for maintenance at 02:00 UTC", category: "service" },
      { all_users: true, template: "newsletter", data: { issue: 12 }, send_at: "2026-12-01T09:00:00+03:00" },
    ],
  },
);

const Counts = Type.Object(
  Object.fromEntries(NOTIFICATION_STATUSES.map((status) => [status, Type.Integer()])) as Record<
    (typeof NOTIFICATION_STATUSES)[number],
    ReturnType<typeof Type.Integer>
  >,
  { description: "Its notifications by status (counted from an index of the broadcast's own notifications)" },
);

const BroadcastSchema = Type.Object(
  {
    id: Type.Integer(),
    status: Type.Enum(BROADCAST_STATUSES, {
      description:
        "pending: not fanned out yet (or waiting for send_at); fanning_out: notifications being created in batches; done: every recipient has one; cancelled",
    }),
    all_users: Type.Boolean(),
    total: Type.Integer({ description: "Distinct known users it goes to" }),
    fanned_out: Type.Integer({ description: "Recipients whose notification has been created so far" }),
    counts: Counts,
    unknown_users: Type.Array(Type.Integer(), {
      description: `Ids given that are no user (the first ${MAX_UNKNOWN_USERS_SHOWN}); they were skipped`,
    }),
    unknown_user_count: Type.Integer({ description: "How many ids given were no user" }),
    message: Nullable(Type.String()),
    subject: Nullable(Type.String()),
    channels: Type.Union([Type.Array(Type.String()), Type.Null()]),
    template: Nullable(Type.String()),
    data: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    category: Nullable(Type.String()),
    metadata: MetadataOutput,
    priority: Type.Enum(PRIORITIES),
    send_at: Nullable(Timestamp),
    expires_at: Nullable(Timestamp),
    created_at: Timestamp,
    finished_at: Nullable(Timestamp),
  },
  {
    examples: [
      {
        id: 7,
        status: "fanning_out",
        all_users: false,
        total: 3,
        fanned_out: 2,
        counts: { pending: 1, sent: 1, failed: 0, cancelled: 0, expired: 0 },
        unknown_users: [999],
        unknown_user_count: 1,
        message: "We are down for maintenance at 02:00 UTC",
        subject: null,
        channels: null,
        template: null,
        data: null,
        category: "service",
        metadata: null,
        priority: "normal",
        send_at: null,
        expires_at: null,
        created_at: "2026-12-01T10:00:00.000Z",
        finished_at: null,
      },
    ],
  },
);

export const broadcastsRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  const broadcastDeps: BroadcastDeps = {
    ...deps.core,
    broadcastBatchSize: deps.config.broadcasts.batchSize,
    webhookEvents: webhookEmitterFor(app, deps),
  };
  const tags = ["broadcasts"];

  app.post(
    "/api/broadcasts/",
    {
      bodyLimit: Math.max(BROADCAST_BODY_LIMIT, deps.config.bodyLimitBytes),
      schema: {
        tags,
        operationId: "createBroadcast",
        summary: "Send one message to many users",
        description:
          "Stores the broadcast and its audience and answers 202 at once with status pending; the workers then create one notification per recipient in batches (each delivered like any notification). With `template` it is rendered per recipient in their locale, and checked now against the first recipient in every locale of the template, so a template that cannot render is a 400. Unknown ids are skipped and named in unknown_users. An Idempotency-Key works as for notifications.",
        headers: CreateNotificationHeaders,
        body: CreateBroadcastBody,
        response: { 202: BroadcastSchema, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { broadcast, replayed } = await createBroadcast(broadcastDeps, request.body, {
        callerId: request.caller?.id ?? null,
        key: request.headers["idempotency-key"],
      });
      reply.code(202);
      if (replayed) reply.header("idempotent-replayed", "true");
      return serializeBroadcast(broadcast);
    },
  );

  app.get(
    "/api/broadcasts/",
    {
      schema: {
        tags,
        operationId: "listBroadcasts",
        summary: "List broadcasts, newest first",
        querystring: PageQuery,
        response: { 200: Page(BroadcastSchema), 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { page, pageSize } = pageParams(request.query);
      const found = await listBroadcasts(broadcastDeps, { page, pageSize });
      return paginate(request, page, pageSize, {
        count: found.count,
        results: found.results.map(serializeBroadcast),
      });
    },
  );

  app.get(
    "/api/broadcasts/:id/",
    {
      schema: {
        tags,
        operationId: "getBroadcast",
        summary: "Get a broadcast: its progress and its notifications' counts by status",
        description:
          "List its notifications with GET /api/notifications/?broadcast={id} (and &status=failed for the failed ones).",
        params: IdParams,
        response: { 200: BroadcastSchema, 404: ErrorBody },
      },
    },
    async (request) => serializeBroadcast(await getBroadcast(broadcastDeps, request.params.id)),
  );

  app.post(
    "/api/broadcasts/:id/cancel/",
    {
      schema: {
        tags,
        operationId: "cancelBroadcast",
        summary: "Cancel a broadcast",
        description:
          "Stops the fan-out (a batch in progress finishes first) and cancels its notifications still pending; those already sent or failed stay. Cancelling again is harmless. 409 when the broadcast is done and none of its notifications is pending any more: nothing is left to cancel, and it stays done.",
        params: IdParams,
        response: { 200: BroadcastSchema, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => serializeBroadcast(await cancelBroadcast(broadcastDeps, request.params.id)),
  );
};
