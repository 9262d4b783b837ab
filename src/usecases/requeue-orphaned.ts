import type { Logger } from "../core/logger.js";
import type { NotificationsRepository } from "../db/notifications-repository.js";
import type { DeliveryScheduler } from "./ports.js";

export interface RequeueDeps {
  notifications: NotificationsRepository;
  scheduler: DeliveryScheduler;
  logger: Logger;
}

/**
 * The sweeper's one pass: queues again every due notification that no live worker holds. Queue
 * jobs are keyed by notification and round, so re-queueing one that is still queued is harmless,
 * and any number of workers may sweep at once.
 */
export async function requeueOrphaned(
  deps: RequeueDeps,
  dueForSeconds: number,
  limit = 500,
): Promise<number> {
  const due = await deps.notifications.findOrphaned(dueForSeconds, limit);
  if (due.length === 0) return 0;
  await deps.scheduler.schedule(due.map(({ id, round }) => ({ notificationId: id, round, delaySeconds: 0 })));
  deps.logger.debug({ count: due.length }, "sweeper queued due notifications");
  return due.length;
}
