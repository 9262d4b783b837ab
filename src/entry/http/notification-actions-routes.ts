import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { cancelNotification, retryNotification } from "../../usecases/notification-actions.js";
import { getNotification } from "../../usecases/read-notifications.js";
import { serializeNotification } from "../public-json.js";
import type { HttpDeps } from "./http-deps.js";
import { ErrorBody, IdParams, NotificationSchema } from "./schemas.js";
import { webhookEmitterFor } from "./webhook-events.js";

/** POST /retry and /cancel: an operator's hand on one notification. */
export const notificationActionsRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  const webhookEvents = webhookEmitterFor(app, deps);
  const actionDeps = { ...deps.core, logger: app.log, leaseSeconds: deps.config.leaseSeconds, webhookEvents };
  const current = async (id: number) => {
    const notification = await getNotification(deps.core, id);
    return serializeNotification(notification, notification.attempts);
  };

  app.post(
    "/api/notifications/:id/retry/",
    {
      schema: {
        tags: ["notifications"],
        operationId: "retryNotification",
        summary: "Retry a failed or cancelled notification now",
        description:
          "Puts it back to pending and queues a new round at once. Past attempts stay; retry_count goes on counting. The new round starts a fresh series: channels that failed permanently before are tried again, and MAX_RETRIES counts from this round (history_from_round). 409 when it is pending, sent or expired, when it was delivered before it was cancelled, or while an attempt of its cancelled round is still under way.",
        params: IdParams,
        response: { 200: NotificationSchema, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      await retryNotification(actionDeps, request.params.id);
      return current(request.params.id);
    },
  );

  app.post(
    "/api/notifications/:id/cancel/",
    {
      schema: {
        tags: ["notifications"],
        operationId: "cancelNotification",
        summary: "Cancel a pending notification",
        description:
          "Status cancelled, no further rounds. A worker in the middle of a round makes no further provider call and cannot mark it sent or failed; a call already under way may still reach the recipient, and its attempt is recorded. 409 when it is already sent, failed, cancelled or expired.",
        params: IdParams,
        response: { 200: NotificationSchema, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      await cancelNotification(actionDeps, request.params.id);
      return current(request.params.id);
    },
  );
};
