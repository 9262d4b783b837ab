import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "typebox";
import { CATEGORY_RULE, isCategory } from "../../audiences/preferences.js";
import { parseMetadataFilter } from "../../core/metadata.js";
import {
  CHANNELS,
  type Channel,
  isChannel,
  NOTIFICATION_STATUSES,
  type NotificationStatus,
} from "../../core/model.js";
import { createNotificationIdempotently } from "../../usecases/create-notification-idempotently.js";
import {
  createNotificationsInBulk,
  MAX_BULK_NOTIFICATIONS,
} from "../../usecases/create-notifications-in-bulk.js";
import { getNotification, listNotifications } from "../../usecases/read-notifications.js";
import { serializeNotification } from "../public-json.js";
import type { HttpDeps } from "./http-deps.js";
import { pageParams, paginate, positiveInteger } from "./pagination.js";
import {
  CreateNotificationBody,
  CreateNotificationHeaders,
  ErrorBody,
  IdParams,
  NotificationListQuery,
  NotificationPage,
  NotificationSchema,
  notificationExample,
} from "./schemas.js";

/** A bulk request's body may hold hundreds of messages: more than one notification's limit. */
const BULK_BODY_LIMIT = 2 * 1024 * 1024;

const BulkBody = Type.Object(
  {
    notifications: Type.Array(CreateNotificationBody, {
      minItems: 1,
      maxItems: MAX_BULK_NOTIFICATIONS,
      description: `1 to ${MAX_BULK_NOTIFICATIONS} notifications, each as POST /api/notifications/ takes one`,
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        notifications: [
          { user: 1, message: "Your code is 1234" },
          { user: 2, template: "otp", data: { code: "5678" } },
        ],
      },
    ],
  },
);

const BulkCreated = Type.Object(
  { results: Type.Array(NotificationSchema, { description: "The notifications, in the request's order" }) },
  { examples: [{ results: [notificationExample] }] },
);

export const notificationsRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.post(
    "/api/notifications/bulk/",
    {
      bodyLimit: Math.max(BULK_BODY_LIMIT, deps.config.bodyLimitBytes),
      schema: {
        tags: ["notifications"],
        operationId: "createNotifications",
        summary: "Create many notifications at once",
        description: `Up to ${MAX_BULK_NOTIFICATIONS} notifications, each exactly as POST /api/notifications/ takes one, stored in one transaction: all of them or none. A problem with any item is a 400 naming it as notifications.<index>.<field> (an unknown user too), and nothing is stored. One Idempotency-Key covers the whole request: repeated, it answers the notifications it created the first time, as they stand now.`,
        headers: CreateNotificationHeaders,
        body: BulkBody,
        response: { 201: BulkCreated, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { results, replayed } = await createNotificationsInBulk(deps.core, request.body.notifications, {
        callerId: request.caller?.id ?? null,
        key: request.headers["idempotency-key"],
      });
      reply.code(201);
      if (replayed) reply.header("idempotent-replayed", "true");
      return {
        results: results.map(({ notification, attempts }) => serializeNotification(notification, attempts)),
      };
    },
  );

  // The original service's path stays as an alias, out of the documentation.
  for (const [path, hide] of [
    ["/api/notifications/", false],
    ["/api/notifications/create/", true],
  ] as const) {
    app.post(
      path,
      {
        schema: {
          tags: ["notifications"],
          operationId: "createNotification",
          summary: "Create a notification",
          description:
            "Stores the notification and answers at once with status pending; a worker delivers it through the first channel that works. With an Idempotency-Key, a repeated request returns the first notification as it stands now instead of creating another. With `template` instead of `message` it is rendered now, per channel, in the user's locale. `send_at` and the user's quiet hours (unless `priority` is critical) make it wait: status stays pending and next_attempt_at says when. With `expires_at` or `ttl_seconds` it is never delivered after that time and ends with status expired instead (already at creation when it could only go after it).",
          headers: CreateNotificationHeaders,
          body: CreateNotificationBody,
          response: { 201: NotificationSchema, 400: ErrorBody, 409: ErrorBody },
          hide,
        },
      },
      async (request, reply) => {
        const { notification, attempts, replayed } = await createNotificationIdempotently(
          deps.core,
          request.body,
          { callerId: request.caller?.id ?? null, key: request.headers["idempotency-key"] },
        );
        reply.code(201);
        if (replayed) reply.header("idempotent-replayed", "true");
        return serializeNotification(notification, attempts);
      },
    );
  }

  app.get(
    "/api/notifications/:id/",
    {
      schema: {
        tags: ["notifications"],
        operationId: "getNotification",
        summary: "Get a notification with every delivery attempt",
        params: IdParams,
        response: { 200: NotificationSchema, 404: ErrorBody },
      },
    },
    async (request) => {
      const notification = await getNotification(deps.core, request.params.id);
      return serializeNotification(notification, notification.attempts);
    },
  );

  app.get(
    "/api/notifications/",
    {
      schema: {
        tags: ["notifications"],
        operationId: "listNotifications",
        summary: "List notifications, newest first",
        querystring: NotificationListQuery,
        response: { 200: NotificationPage, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const query = parseListQuery(request.query);
      const { results, ...counted } = await listNotifications(deps.core, query, query.window);
      return paginate(request, query.page, query.pageSize, {
        ...counted,
        results: results.map((notification) => serializeNotification(notification, notification.attempts)),
      });
    },
  );
};

function parseListQuery(query: Static<typeof NotificationListQuery>) {
  const problems: Record<string, string[]> = {};
  const positive = (field: string, raw: string | undefined, fallback: number) =>
    positiveInteger(problems, field, raw, fallback);
  const userId = query.user === undefined || query.user === "" ? undefined : positive("user", query.user, 0);
  let status: NotificationStatus | undefined;
  if (query.status !== undefined && query.status !== "") {
    if ((NOTIFICATION_STATUSES as readonly string[]).includes(query.status))
      status = query.status as NotificationStatus;
    else problems.status = [`Select a valid choice: ${NOTIFICATION_STATUSES.join(", ")}.`];
  }
  let channel: Channel | undefined;
  if (query.channel !== undefined && query.channel !== "") {
    if (isChannel(query.channel)) channel = query.channel;
    else problems.channel = [`Select a valid choice: ${CHANNELS.join(", ")}.`];
  }
  const search = query.search?.trim() || undefined;
  let scheduled: boolean | undefined;
  if (query.scheduled !== undefined && query.scheduled !== "") {
    if (query.scheduled === "true" || query.scheduled === "false") scheduled = query.scheduled === "true";
    else problems.scheduled = ["Must be true or false."];
    if (status !== undefined && status !== "pending") {
      problems.scheduled = [
        "Only pending notifications wait for a time; use it with status=pending or alone.",
      ];
    }
  }
  const broadcastId =
    query.broadcast === undefined || query.broadcast === ""
      ? undefined
      : positive("broadcast", query.broadcast, 0);
  let category: string | undefined;
  if (query.category !== undefined && query.category !== "") {
    if (isCategory(query.category)) category = query.category;
    else problems.category = [CATEGORY_RULE];
  }
  const metadata =
    query.metadata === undefined || query.metadata === ""
      ? undefined
      : (parseMetadataFilter(query.metadata, problems) ?? undefined);
  return {
    userId,
    status,
    channel,
    search,
    scheduled,
    broadcastId,
    category,
    metadata,
    ...pageParams(query, problems),
  };
}
