/**
 * A worker's turn at a broadcast it claimed: batch after batch, each in one transaction, it reads
 * the next recipients after the cursor, inserts their notifications (a recipient who has one
 * already is skipped by the unique key) and moves the cursor. A worker killed mid-batch leaves
 * nothing of that batch; the next one to claim the broadcast starts from the cursor.
 */
import { type UnsubscribeLinkMaker, unsubscribeUrlOf } from "../audiences/audience-gate.js";
import type { Logger } from "../core/logger.js";
import type { Channel, StoredNotification } from "../core/model.js";
import type { TemplateCatalog } from "../templates/template-catalog.js";
import type {
  BulkWebhookEvents,
  NotificationEventPublisher,
  WebhookEventWriter,
  WorkWakeUps,
} from "../usecases/ports.js";
import type { BroadcastStore, ClaimedBroadcast, CreatedNotification } from "./broadcast-model.js";
import { broadcastNotification, type TemplateRenderer } from "./broadcast-notifications.js";

const NO_CATEGORIES: ReadonlySet<string> = new Set();

/** Pending notifications a cancellation's sweep cancels per statement. */
export const CANCEL_CHUNK = 5000;

export interface FanOutDeps {
  store: BroadcastStore;
  templateCatalog: Pick<TemplateCatalog, "renderer">;
  channelOrder: readonly Channel[];
  /** Wakes the notification workers after each batch. */
  wakeUps: WorkWakeUps;
  workerId: string;
  leaseSeconds: number;
  batchSize: number;
  /** Due, undelivered notifications of this broadcast at which it waits; 0: never waits. */
  maxBacklog: number;
  /** How long it waits then before looking again. */
  backlogWaitSeconds: number;
  logger: Logger;
  /** Told when the broadcast falls due again, so the runner need not wait for its poll. */
  wakeIn?: (seconds: number) => void;
  /** True once the worker is shutting down: the broadcast is handed back between batches. */
  stopping?: () => boolean;
  clock?: () => Date;
  /** Makes each recipient's `unsubscribe_url`, as for a single notification; absent without PUBLIC_URL. */
  unsubscribeLinks?: UnsubscribeLinkMaker | null;
  /** CRITICAL_CATEGORIES: a broadcast of one has no unsubscribe link. */
  criticalCategories?: ReadonlySet<string>;
  /** Tells webhook subscribers of each notification a cancellation's sweep cancels. */
  webhooks?: BulkWebhookEvents;
  /** The live event stream: each notification a batch creates, or a sweep cancels, as a single one would be. */
  events?: NotificationEventPublisher;
}

/** Who hears of the notifications a cancellation's sweep cancels. */
export interface SweepAnnouncements {
  webhooks?: BulkWebhookEvents;
  events?: NotificationEventPublisher;
}

/** What one batch's transaction did, or the template it needs read before it can. */
type BatchStep =
  | "stopped"
  | "waiting"
  | { template: string }
  | { created: CreatedNotification[]; exhausted: boolean };

export type FanOutResult = "done" | "cancelled" | "waiting" | "stopped" | "lease_lost";

export async function fanOutBroadcast(deps: FanOutDeps, claimed: ClaimedBroadcast): Promise<FanOutResult> {
  if (claimed.status === "cancelled") {
    await sweepCancelled(deps.store, claimed.id, deps);
    return "cancelled";
  }
  let renderer: TemplateRenderer | null = null;
  for (;;) {
    const step = await deps.store.inBatch<BatchStep>(
      claimed.id,
      deps.workerId,
      deps.leaseSeconds,
      async (batch) => {
        if (deps.stopping?.()) {
          await batch.postpone(0);
          return "stopped" as const;
        }
        if (deps.maxBacklog > 0 && (await batch.dueBacklog(deps.maxBacklog)) >= deps.maxBacklog) {
          await batch.postpone(deps.backlogWaitSeconds);
          return "waiting" as const;
        }
        const { broadcast } = batch;
        // The template is read outside this transaction: on the embedded database's one connection a
        // read through the pool while the transaction holds it would wait until it timed out.
        if (broadcast.template !== null && renderer === null) return { template: broadcast.template };
        const { users, lastUserId, exhausted } = await batch.nextRecipients(deps.batchSize);
        const now = deps.clock?.() ?? new Date();
        // Only a template shows the link; an email's List-Unsubscribe header is made at delivery.
        const unsubscribeUrlFor = (userId: number) =>
          unsubscribeUrlOf(
            deps.unsubscribeLinks,
            deps.criticalCategories ?? NO_CATEGORIES,
            userId,
            broadcast,
          );
        const notifications = users.map((user) =>
          broadcastNotification(broadcast, user, renderer, deps.channelOrder, now, unsubscribeUrlFor),
        );
        const created = await batch.insertNotifications(notifications);
        await batch.advance(lastUserId, users.length, exhausted);
        return { created, exhausted };
      },
    );
    if (step === null) return "lease_lost";
    if (step === "stopped") return "stopped";
    if (step === "waiting") {
      deps.wakeIn?.(deps.backlogWaitSeconds);
      return "waiting";
    }
    if ("template" in step) {
      // Read once per turn: a template edited mid-broadcast applies from the next turn on.
      renderer = (await deps.templateCatalog.renderer(step.template)).render;
      continue;
    }
    // After the batch's commit, as a single creation announces itself.
    for (const { id, status } of step.created) deps.events?.publish({ type: "created", id, status });
    if (step.created.length > 0) deps.wakeUps.wake();
    if (step.exhausted) {
      deps.logger.info({ broadcastId: claimed.id }, "broadcast fanned out");
      return "done";
    }
    // Lets the process's other work (deliveries, wake-ups) in between two batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Cancels a cancelled broadcast's pending notifications, a chunk at a time, then ends its sweep.
 * Each chunk's `notification.cancelled` webhook events are stored with it, in one statement; its
 * live events go out once it is committed, one `updated` per notification as for a single cancel
 * (the publisher sends a chunk's events to Redis together).
 */
export async function sweepCancelled(
  store: BroadcastStore,
  id: number,
  { webhooks, events }: SweepAnnouncements = {},
): Promise<number> {
  let cancelled = 0;
  for (;;) {
    let deliveries = 0;
    // Unsubscribed, a chunk stays one statement that returns nothing but its count.
    const announce =
      webhooks && (await webhooks.subscribes("notification.cancelled"))
        ? async (notifications: StoredNotification[], writer: WebhookEventWriter) => {
            deliveries += await webhooks.recordMany("notification.cancelled", notifications, writer);
          }
        : undefined;
    const ids = await store.cancelPendingNotifications(id, CANCEL_CHUNK, announce);
    if (deliveries > 0) webhooks?.wake();
    for (const notificationId of ids)
      events?.publish({ type: "updated", id: notificationId, status: "cancelled" });
    cancelled += ids.length;
    if (ids.length < CANCEL_CHUNK) break;
  }
  await store.finishCancelling(id);
  return cancelled;
}
