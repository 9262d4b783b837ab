import { deleteInBatches } from "./delete-in-batches.js";
import type { NotificationStore } from "./ports.js";

export interface RetentionDeps {
  notifications: Pick<NotificationStore, "deleteFinishedOlderThan">;
}

/**
 * Retention: deletes finished notifications (sent, failed, cancelled) created more than `days`
 * ago, with everything recorded about them. Pending notifications are never deleted, however
 * old. Safe in many workers at once; returns how many were deleted.
 */
export async function deleteOldNotifications(
  deps: RetentionDeps,
  days: number,
  batch = 1000,
): Promise<number> {
  if (!(days > 0)) throw new RangeError(`retention must be a positive number of days, got ${days}`);
  return deleteInBatches((limit) => deps.notifications.deleteFinishedOlderThan(days, limit), batch);
}
