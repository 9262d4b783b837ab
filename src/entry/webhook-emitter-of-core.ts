/**
 * The webhook emitter every entry point uses (the API's routes, the worker, the CLI): events
 * shaped as the API shows what they are about, stored through the core's repositories.
 */
import type { CoreDeps } from "../app.js";
import type { Config } from "../config.js";
import type { Logger } from "../core/logger.js";
import { WebhookEmitter } from "../webhooks/webhook-emitter.js";
import {
  serializeAttempt,
  serializeNotification,
  serializeSuppression,
  serializeUser,
} from "./public-json.js";

export function webhookEmitterOf(core: CoreDeps, config: Config, logger: Logger): WebhookEmitter {
  return new WebhookEmitter({
    store: core.webhooks,
    notifications: core.notifications,
    users: core.users,
    suppressions: core.suppressions,
    attempts: core.attempts,
    shapes: {
      notification: serializeNotification,
      attempt: serializeAttempt,
      user: serializeUser,
      suppression: serializeSuppression,
    },
    wakeUps: core.webhookWakeUps,
    logger,
    cacheSeconds: config.webhooks.subscriptionRefreshSeconds,
  });
}
