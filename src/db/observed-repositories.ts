/**
 * The repositories, announcing each change they commit to whoever watches (the dashboard's live
 * list). Every process builds its repositories in app.ts, so every writer announces, and the use
 * cases stay unaware of it. Leases and heartbeats are not announced: they change nothing a
 * person sees.
 */
import type { Channel } from "../core/model.js";
import type { DeliveryOutcome, SentOutcome } from "../core/outcome.js";
import type { NotificationEventPublisher } from "../usecases/ports.js";
import { AttemptsRepository } from "./attempts-repository.js";
import type { Queryable } from "./database.js";
import {
  type NewNotification,
  NotificationsRepository,
  type StoredNotification,
} from "./notifications-repository.js";

export class ObservedNotificationsRepository extends NotificationsRepository {
  constructor(
    db: Queryable,
    private readonly events: NotificationEventPublisher,
  ) {
    super(db);
  }

  private announce(type: "created" | "updated", id: number, status: string): void {
    this.events.publish({ type, id, status });
  }

  override async create(notification: NewNotification): Promise<StoredNotification> {
    const created = await super.create(notification);
    this.announce("created", created.id, created.status);
    return created;
  }

  override async createBatched(notification: NewNotification): Promise<StoredNotification> {
    const created = await super.createBatched(notification);
    this.announce("created", created.id, created.status);
    return created;
  }

  override async markSent(id: number, owner: string, channel: Channel): Promise<boolean> {
    const marked = await super.markSent(id, owner, channel);
    if (marked) this.announce("updated", id, "sent");
    return marked;
  }

  override async markFailed(
    id: number,
    owner: string,
    reason: string,
    lastChannel: Channel | null,
  ): Promise<boolean> {
    const marked = await super.markFailed(id, owner, reason, lastChannel);
    if (marked) this.announce("updated", id, "failed");
    return marked;
  }

  override async markExpired(
    id: number,
    owner: string,
    reason: string,
    lastChannel: Channel | null,
  ): Promise<boolean> {
    const marked = await super.markExpired(id, owner, reason, lastChannel);
    if (marked) this.announce("updated", id, "expired");
    return marked;
  }

  override async scheduleRetry(
    id: number,
    owner: string,
    retryCount: number,
    delaySeconds: number,
    lastChannel: Channel | null,
  ): Promise<Date | null> {
    const scheduled = await super.scheduleRetry(id, owner, retryCount, delaySeconds, lastChannel);
    if (scheduled) this.announce("updated", id, "pending");
    return scheduled;
  }

  override async cancel(id: number): Promise<StoredNotification | null> {
    const cancelled = await super.cancel(id);
    if (cancelled) this.announce("updated", id, cancelled.status);
    return cancelled;
  }

  override async retryManually(id: number, inFlightSeconds: number): Promise<StoredNotification | null> {
    const retried = await super.retryManually(id, inFlightSeconds);
    if (retried) this.announce("updated", id, retried.status);
    return retried;
  }
}

export class ObservedAttemptsRepository extends AttemptsRepository {
  /** Which notification and channel each attempt in progress belongs to, to announce its end. */
  private readonly inProgress = new Map<number, { notificationId: number; channel: Channel }>();

  constructor(
    db: Queryable,
    private readonly events: NotificationEventPublisher,
  ) {
    super(db);
  }

  override async startUnderLease(
    notificationId: number,
    round: number,
    channel: Channel,
    owner: string,
    leaseSeconds: number,
  ): Promise<number | null> {
    const attemptId = await super.startUnderLease(notificationId, round, channel, owner, leaseSeconds);
    if (attemptId === null) return null;
    this.inProgress.set(attemptId, { notificationId, channel });
    this.events.publish({ type: "attempt", id: notificationId, channel, status: "in_progress" });
    return attemptId;
  }

  override async finishSent(
    attemptId: number,
    outcome: SentOutcome,
    notificationId: number,
    owner: string,
    channel: Channel,
  ): Promise<boolean> {
    this.inProgress.delete(attemptId);
    const marked = await super.finishSent(attemptId, outcome, notificationId, owner, channel);
    this.events.publish({ type: "attempt", id: notificationId, channel, status: "sent" });
    if (marked) this.events.publish({ type: "updated", id: notificationId, status: "sent" });
    return marked;
  }

  override async finish(attemptId: number, outcome: DeliveryOutcome): Promise<void> {
    const attempt = this.inProgress.get(attemptId);
    this.inProgress.delete(attemptId);
    await super.finish(attemptId, outcome);
    if (!attempt) return;
    const status = outcome.kind === "sent" ? "sent" : "failed";
    this.events.publish({ type: "attempt", id: attempt.notificationId, channel: attempt.channel, status });
  }

  override async recordSkipped(
    notificationId: number,
    round: number,
    channel: Channel,
    cause: string,
    reason: string,
  ): Promise<void> {
    await super.recordSkipped(notificationId, round, channel, cause, reason);
    this.events.publish({ type: "attempt", id: notificationId, channel, status: "skipped" });
  }
}
