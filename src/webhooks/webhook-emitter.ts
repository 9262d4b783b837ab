/**
 * Turns what happens to notifications into webhook events. While no enabled endpoint subscribes
 * to an event type, emitting it costs nothing: the types subscribed to are read at most once per
 * WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS (5) per process, so a new or changed endpoint hears of
 * events from within that long. Otherwise one event costs a read of the notification and one INSERT that
 * stores the event with a delivery per subscribed endpoint, and the webhook workers are woken.
 * Many notifications changed by one statement (recordMany) cost one read of their attempts and
 * one INSERT, in that statement's transaction. Events about a user (emitForUser) read the user
 * instead, and are numbered per user; events about a suppression carry it (read by id when only
 * that is given).
 */

import type { Suppression } from "../audiences/suppression.js";
import type { Logger } from "../core/logger.js";
import type { StoredAttempt, StoredNotification, UserProfile } from "../core/model.js";
import type {
  AttemptReader,
  BulkWebhookEvents,
  NotificationStore,
  SuppressionWebhookEvents,
  UserStore,
  UserWebhookEvents,
  WebhookEvents,
  WebhookEventWriter,
  WorkWakeUps,
} from "../usecases/ports.js";
import {
  type SuppressionEventType,
  subscribesTo,
  type UserEventType,
  type WebhookEventType,
} from "./webhook-event-types.js";
import type { WebhookStore } from "./webhook-model.js";
import { newWebhookEventId } from "./webhook-signature.js";

/**
 * The API's own JSON shapes, handed in by the entry points (which own them), so a webhook body
 * shows a notification exactly as GET /api/notifications/{id}/ does.
 */
export interface PublicShapes {
  notification(notification: StoredNotification, attempts: StoredAttempt[]): unknown;
  attempt(attempt: StoredAttempt): unknown;
  user(user: UserProfile): unknown;
  suppression(suppression: Suppression): unknown;
}

export interface WebhookEmitterDeps {
  store: Pick<WebhookStore, "subscribedEventTypes" | "recordEvent">;
  notifications: Pick<NotificationStore, "findById">;
  users: Pick<UserStore, "findById">;
  suppressions: { findById(id: number): Promise<Suppression | null> };
  attempts: AttemptReader;
  shapes: PublicShapes;
  /** Wakes webhook workers (not notification workers) when deliveries become due. */
  wakeUps: Pick<WorkWakeUps, "wake">;
  logger: Logger;
  /** How long the subscribed event types are trusted before they are read again. */
  cacheSeconds: number;
}

export class WebhookEmitter
  implements WebhookEvents, UserWebhookEvents, SuppressionWebhookEvents, BulkWebhookEvents
{
  private subscribed: Promise<string[]> | null = null;
  private subscribedAt = 0;
  /** The last read of the subscribed types once it came back, for emit's synchronous check. */
  private known: { types: string[]; at: number } | null = null;
  /**
   * Events of one notification (or one user) are stored in the order they were emitted (their
   * sequence): each waits for the one before it.
   */
  private readonly pending = new Map<number, Promise<void>>();
  private readonly pendingForUsers = new Map<number, Promise<void>>();
  private readonly pendingForSuppressions = new Map<number, Promise<void>>();

  constructor(private readonly deps: WebhookEmitterDeps) {}

  emit(type: WebhookEventType, notificationId: number, attemptId?: number): void {
    // Every delivery emits; while nobody subscribes to the type (as last read, still trusted),
    // return before making the promises and the per-notification chain an event would need.
    if (this.knownUnsubscribed(type)) return;
    this.chain(this.pending, notificationId, () => this.record(type, notificationId, attemptId), {
      type,
      notificationId,
    });
  }

  emitForUser(type: UserEventType, userId: number, details: Record<string, unknown> = {}): void {
    if (this.knownUnsubscribed(type)) return;
    this.chain(this.pendingForUsers, userId, () => this.recordForUser(type, userId, details), {
      type,
      userId,
    });
  }

  emitForSuppression(type: SuppressionEventType, suppression: Suppression | number): void {
    if (this.knownUnsubscribed(type)) return;
    const id = typeof suppression === "number" ? suppression : suppression.id;
    this.chain(this.pendingForSuppressions, id, () => this.recordForSuppression(type, suppression), {
      type,
      suppressionId: id,
    });
  }

  /** Resolves once every event emitted so far is stored (for shutdown and tests). */
  async flush(): Promise<void> {
    await Promise.all([
      ...this.pending.values(),
      ...this.pendingForUsers.values(),
      ...this.pendingForSuppressions.values(),
    ]);
  }

  private chain(
    pending: Map<number, Promise<void>>,
    key: number,
    record: () => Promise<void>,
    context: Record<string, unknown>,
  ): void {
    const next = (pending.get(key) ?? Promise.resolve())
      .then(record)
      .catch((error: Error) =>
        this.deps.logger.warn({ ...context, err: error.message }, "could not record a webhook event"),
      );
    pending.set(key, next);
    void next.finally(() => {
      if (pending.get(key) === next) pending.delete(key);
    });
  }

  /**
   * The notifications as the changing statement returned them, their attempts read in one query
   * and their events stored in one more, through the caller's transaction. The caller asks
   * `subscribes` first, before its transaction: asked here, a refresh of the subscribed types
   * would wait for a second connection, which the embedded database's one connection never frees.
   */
  async recordMany(
    type: WebhookEventType,
    notifications: StoredNotification[],
    writer: WebhookEventWriter,
  ): Promise<number> {
    if (notifications.length === 0) return 0;
    const attempts = await writer.attempts.listForNotifications(notifications.map(({ id }) => id));
    const timestamp = new Date().toISOString();
    return writer.recordEvents(
      type,
      notifications.map((notification) => ({
        id: newWebhookEventId(),
        notificationId: notification.id,
        payload: {
          type,
          timestamp,
          data: {
            notification: this.deps.shapes.notification(notification, attempts.get(notification.id) ?? []),
          },
        },
      })),
    );
  }

  wake(): void {
    this.deps.wakeUps.wake();
  }

  async subscribes(type: WebhookEventType): Promise<boolean> {
    return subscribesTo(await this.subscribedTypes(), type);
  }

  private async record(type: WebhookEventType, notificationId: number, attemptId?: number): Promise<void> {
    if (!(await this.subscribes(type))) return;
    const notification = await this.deps.notifications.findById(notificationId);
    if (!notification) return;
    const attempts = await this.deps.attempts.listForNotification(notificationId);
    const attempt = attemptId === undefined ? undefined : attempts.find((each) => each.id === attemptId);
    const data = {
      notification: this.deps.shapes.notification(notification, attempts),
      ...(attempt ? { attempt: this.deps.shapes.attempt(attempt) } : {}),
    };
    await this.store(type, data, { notificationId });
  }

  private async recordForUser(
    type: UserEventType,
    userId: number,
    details: Record<string, unknown>,
  ): Promise<void> {
    if (!(await this.subscribes(type))) return;
    const user = await this.deps.users.findById(userId);
    if (!user) return;
    await this.store(type, { user: this.deps.shapes.user(user), ...details }, { userId });
  }

  private async recordForSuppression(type: SuppressionEventType, given: Suppression | number): Promise<void> {
    if (!(await this.subscribes(type))) return;
    const suppression = typeof given === "number" ? await this.deps.suppressions.findById(given) : given;
    if (!suppression) return;
    await this.store(type, { suppression: this.deps.shapes.suppression(suppression) }, {});
  }

  /** Stores one event (what it is about names whose sequence it takes) and wakes the senders. */
  private async store(
    type: WebhookEventType,
    data: Record<string, unknown>,
    about: { notificationId?: number; userId?: number },
  ): Promise<void> {
    const deliveries = await this.deps.store.recordEvent({
      id: newWebhookEventId(),
      type,
      notificationId: about.notificationId ?? null,
      userId: about.userId ?? null,
      payload: { type, timestamp: new Date().toISOString(), data },
    });
    if (deliveries > 0) this.deps.wakeUps.wake();
  }

  private subscribedTypes(): Promise<string[]> {
    const maxAgeMs = this.deps.cacheSeconds * 1000;
    if (!this.subscribed || performance.now() - this.subscribedAt > maxAgeMs) {
      const at = performance.now();
      this.subscribedAt = at;
      const reading = this.deps.store.subscribedEventTypes();
      reading.then(
        (types) => {
          if (this.subscribed === reading) this.known = { types, at };
        },
        // A failed read is not cached: the next event asks again.
        () => {
          if (this.subscribed === reading) this.subscribed = null;
        },
      );
      this.subscribed = reading;
    }
    return this.subscribed;
  }

  /** True only when the last read of the subscribed types, still trusted, has none for `type`. */
  private knownUnsubscribed(type: WebhookEventType): boolean {
    const known = this.known;
    if (known === null || performance.now() - known.at > this.deps.cacheSeconds * 1000) return false;
    return !subscribesTo(known.types, type);
  }
}
