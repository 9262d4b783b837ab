/**
 * What an operator can do to one notification by hand: retry a failed (or cancelled) one now,
 * or cancel one that is still waiting. Both are single conditional updates, so they are safe
 * against workers and against each other; a refusal says what state made it impossible.
 */
import { ConflictError, NotFoundError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { StoredNotification } from "../core/model.js";
import type {
  AttemptReader,
  NotificationEventPublisher,
  NotificationStore,
  WebhookEvents,
  WorkWakeUps,
} from "./ports.js";

export interface NotificationActionDeps {
  notifications: NotificationStore;
  attempts: AttemptReader;
  wakeUps: WorkWakeUps;
  notificationEvents: NotificationEventPublisher;
  logger: Logger;
  /** An attempt in progress for longer than this was left by a dead worker (config.leaseSeconds). */
  leaseSeconds: number;
  /** Tells webhook subscribers of cancellations; optional. */
  webhookEvents?: WebhookEvents;
}

/**
 * A failed or cancelled notification goes back to pending, due now, for a fresh
 * series of rounds: channels that failed permanently before are tried again and MAX_RETRIES
 * counts from this round. Past attempts stay in its timeline.
 */
export async function retryNotification(
  deps: NotificationActionDeps,
  id: number,
): Promise<StoredNotification> {
  const retried = await deps.notifications.retryManually(id, deps.leaseSeconds);
  if (!retried) throw await refusal(deps, id, "retried");
  deps.wakeUps.wake();
  deps.notificationEvents.publish({ type: "updated", id, status: retried.status });
  deps.logger.info({ notificationId: id, round: retried.historyFromRound }, "notification retried by hand");
  return retried;
}

/** A pending notification stops for good; a worker in the middle of a round cannot finish it. */
export async function cancelNotification(
  deps: NotificationActionDeps,
  id: number,
): Promise<StoredNotification> {
  const cancelled = await deps.notifications.cancel(id);
  if (!cancelled) throw await refusal(deps, id, "cancelled");
  deps.notificationEvents.publish({ type: "updated", id, status: cancelled.status });
  deps.webhookEvents?.emit("notification.cancelled", id);
  deps.logger.info({ notificationId: id }, "notification cancelled by hand");
  return cancelled;
}

async function refusal(deps: NotificationActionDeps, id: number, action: "retried" | "cancelled") {
  const notification = await deps.notifications.findById(id);
  if (!notification) return new NotFoundError(`Notification ${id} not found.`);
  const { status } = notification;
  if (action === "cancelled") {
    return new ConflictError(
      status === "sent"
        ? `Notification ${id} cannot be cancelled: it was already sent.`
        : status === "failed"
          ? `Notification ${id} cannot be cancelled: it has already failed; retry it instead.`
          : status === "expired"
            ? `Notification ${id} cannot be cancelled: it has already expired.`
            : `Notification ${id} cannot be cancelled: it is already cancelled.`,
    );
  }
  if (status === "expired") {
    return new ConflictError(
      `Notification ${id} cannot be retried: it expired (expires_at passed); send a new notification instead.`,
    );
  }
  if (status === "pending") {
    return new ConflictError(
      `Notification ${id} cannot be retried: it is pending, its delivery is still under way or scheduled.`,
    );
  }
  if (status === "sent")
    return new ConflictError(`Notification ${id} cannot be retried: it was already sent.`);
  const attempts = await deps.attempts.listForNotification(id);
  const delivered = attempts.find((attempt) => attempt.status === "sent");
  if (delivered) {
    return new ConflictError(
      `Notification ${id} cannot be retried: its ${delivered.channel} attempt in round ${delivered.round} was delivered before it was ${status}.`,
    );
  }
  if (attempts.some((attempt) => attempt.status === "in_progress")) {
    return new ConflictError(
      `Notification ${id} cannot be retried yet: an attempt of the round that was cancelled is still waiting for its provider; try again in a few seconds.`,
    );
  }
  // The state changed between the update and this look (e.g. someone else retried it just now).
  return new ConflictError(`Notification ${id} cannot be retried: it is ${status} now.`);
}
