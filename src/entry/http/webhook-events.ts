/** The API's webhook emitter: events of what its routes change (cancels), in the API's own JSON. */
import type { FastifyInstance } from "fastify";
import { WebhookEmitter } from "../../webhooks/webhook-emitter.js";
import { serializeAttempt, serializeNotification, serializeUser } from "../public-json.js";
import type { HttpDeps } from "./http-deps.js";

/** An emitter whose pending events are stored before the app closes. */
export function webhookEmitterFor(app: FastifyInstance, deps: HttpDeps): WebhookEmitter {
  const webhookEvents = new WebhookEmitter({
    store: deps.core.webhooks,
    notifications: deps.core.notifications,
    users: deps.core.users,
    attempts: deps.core.attempts,
    shapes: { notification: serializeNotification, attempt: serializeAttempt, user: serializeUser },
    wakeUps: deps.core.webhookWakeUps,
    logger: app.log,
    cacheSeconds: deps.config.webhooks.subscriptionRefreshSeconds,
  });
  app.addHook("onClose", () => webhookEvents.flush());
  return webhookEvents;
}
