import { deleteInBatches } from "./delete-in-batches.js";
import type { NotificationEventPublisher, NotificationStore } from "./ports.js";

export interface RetentionDeps {
  notifications: Pick<NotificationStore, "deleteFinishedOlderThan">;
  /** Told once, with `resync`, when a run deleted anything: watchers showing those reload. */
  notificationEvents?: NotificationEventPublisher;
}

/**
 * Retention: deletes finished notifications (sent, failed, cancelled) created more than `days`
 * ago, with everything recorded about them. Pending notifications are never deleted, however
 * old. Safe in many workers at once; returns how many were deleted.
 *
 * The live stream has no event for a deletion, and the first run after RETENTION_DAYS is set may
 * delete millions: one `resync` for the whole run costs the same however many went.
 */
export async function deleteOldNotifications(
  deps: RetentionDeps,
  days: number,
  batch = 1000,
): Promise<number> {
  if (!(days > 0)) throw new RangeError(`retention must be a positive number of days, got ${days}`);
  let deleted = 0;
  try {
    return await deleteInBatches(async (limit) => {
      const inBatch = await deps.notifications.deleteFinishedOlderThan(days, limit);
      deleted += inBatch;
      return inBatch;
    }, batch);
  } finally {
    // Also when a later batch failed: the earlier ones are committed.
    if (deleted > 0) deps.notificationEvents?.publish({ type: "resync" });
  }
}
