/**
 * Records receipts and announces what they changed, whichever way they came (a check the workers
 * made, or a callback the provider posted): a live `attempt` event per final receipt and per
 * in-transit report with a new code (the attempt stays `accepted`, its timeline grew); for final
 * receipts only, a log line, the `notification.delivered` / `notification.undelivered` webhook when
 * it is the notification's latest accepted attempt, and a wake-up when a notification held for its
 * receipt became due.
 */
import type { Logger } from "../core/logger.js";
import type {
  BulkWebhookEvents,
  NotificationEventPublisher,
  WebhookEvents,
  WorkWakeUps,
} from "../usecases/ports.js";
import type { ReceiptsRepository, ReceiptUpdate, RecordedReceipt } from "./receipts-repository.js";

export interface RecordReceiptsDeps {
  store: Pick<ReceiptsRepository, "record">;
  /** Wakes notification workers when a held notification became due. */
  wakeUps: Pick<WorkWakeUps, "wake">;
  events: NotificationEventPublisher;
  webhooks?: WebhookEvents & Pick<BulkWebhookEvents, "subscribes">;
  logger: Logger;
}

export async function recordReceipts(
  deps: RecordReceiptsDeps,
  updates: ReceiptUpdate[],
): Promise<RecordedReceipt[]> {
  const recorded = await deps.store.record(updates, { findLatest: await announcesReceipts(deps.webhooks) });
  let madeDue = false;
  for (const receipt of recorded) {
    deps.events.publish({
      type: "attempt",
      id: receipt.notificationId,
      channel: receipt.channel,
      status: receipt.delivery,
    });
    // Still in transit: only its timeline changed, which the event above is for.
    if (receipt.delivery === "accepted") continue;
    deps.logger.info(
      { notificationId: receipt.notificationId, attemptId: receipt.attemptId, delivery: receipt.delivery },
      "delivery receipt",
    );
    if (receipt.latest && receipt.delivery !== "unknown") {
      deps.webhooks?.emit(`notification.${receipt.delivery}`, receipt.notificationId, receipt.attemptId);
    }
    madeDue ||= receipt.madeDue;
  }
  if (madeDue) deps.wakeUps.wake();
  return recorded;
}

/** Whether some webhook endpoint is told of final receipts, so recording must say which are latest. */
async function announcesReceipts(webhooks: RecordReceiptsDeps["webhooks"]): Promise<boolean> {
  if (!webhooks) return false;
  return (
    (await webhooks.subscribes("notification.delivered")) ||
    (await webhooks.subscribes("notification.undelivered"))
  );
}
