import type { Logger } from "../core/logger.js";
import type { WebhookStore } from "../webhooks/webhook-model.js";
import { deleteInBatches } from "./delete-in-batches.js";
import { deleteOldNotifications, type RetentionDeps } from "./delete-old-notifications.js";
import { type ForgetKeysDeps, forgetExpiredIdempotencyKeys } from "./forget-expired-idempotency-keys.js";

export interface HousekeepingDeps extends RetentionDeps, ForgetKeysDeps {
  maintenance: { takeTurn(task: string, intervalSeconds: number): Promise<boolean> };
  retentionDays: number;
  logger: Logger;
  /** Webhook events and their deliveries age out with RETENTION_DAYS too. */
  webhooks?: Pick<WebhookStore, "deleteFinishedEventsOlderThan">;
  /** The Idempotency-Keys of broadcasts, forgotten after the same TTL. */
  broadcastIdempotencyKeys?: ForgetKeysDeps["idempotencyKeys"];
  /** Telegram connect-link codes, forgotten a day after they expire. */
  telegramLinks?: { deleteExpired(graceSeconds: number): Promise<number> };
}

const EXPIRED_LINK_CODES_KEPT_SECONDS = 24 * 3600;

// Expired keys are already ignored and old notifications only take space: deleting them need not
// be frequent.
export const HOUSEKEEPING_INTERVAL_SECONDS = 10 * 60;

/**
 * Deletes expired idempotency keys and, with RETENTION_DAYS, old finished notifications, when it is
 * this deployment's turn: any number of workers may call it, and one of them does the work per
 * interval. Failures are logged; the next turn tries again. True when this call took the turn.
 */
export async function runHousekeepingIfDue(deps: HousekeepingDeps): Promise<boolean> {
  const { logger } = deps;
  const turn = await deps.maintenance
    .takeTurn("housekeeping", HOUSEKEEPING_INTERVAL_SECONDS)
    .catch(() => false);
  if (!turn) return false;
  await forgetExpiredIdempotencyKeys(deps).catch((error: Error) =>
    logger.warn({ err: error.message }, "could not delete expired idempotency keys; will try again"),
  );
  if (deps.broadcastIdempotencyKeys) {
    await forgetExpiredIdempotencyKeys({ ...deps, idempotencyKeys: deps.broadcastIdempotencyKeys }).catch(
      (error: Error) =>
        logger.warn(
          { err: error.message },
          "could not delete expired broadcast idempotency keys; will try again",
        ),
    );
  }
  await deps.telegramLinks
    ?.deleteExpired(EXPIRED_LINK_CODES_KEPT_SECONDS)
    .catch((error: Error) =>
      logger.warn({ err: error.message }, "could not delete expired Telegram link codes; will try again"),
    );
  if (deps.retentionDays > 0) {
    await deleteOldNotifications(deps, deps.retentionDays)
      .then((deleted) => {
        if (deleted > 0)
          logger.info({ deleted, retentionDays: deps.retentionDays }, "deleted old finished notifications");
      })
      .catch((error: Error) =>
        logger.warn({ err: error.message }, "could not delete old notifications; will try again"),
      );
    const { webhooks } = deps;
    if (webhooks) {
      await deleteInBatches(
        (limit) => webhooks.deleteFinishedEventsOlderThan(deps.retentionDays, limit),
        1000,
      )
        .then((deleted) => {
          if (deleted > 0)
            logger.info({ deleted, retentionDays: deps.retentionDays }, "deleted old webhook events");
        })
        .catch((error: Error) =>
          logger.warn({ err: error.message }, "could not delete old webhook events; will try again"),
        );
    }
  }
  return true;
}
