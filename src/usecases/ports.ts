/** What the use cases need from the outside world, as interfaces the adapters implement. */

export interface ScheduledDelivery {
  notificationId: number;
  round: number;
  delaySeconds: number;
}

export interface DeliveryScheduler {
  /** Queues now and resolves once the queue has them; rejects when the queue is unreachable. */
  schedule(deliveries: ScheduledDelivery[]): Promise<void>;
  /** Queues in the background; never throws. PostgreSQL already holds the notification. */
  scheduleSoon(delivery: ScheduledDelivery): void;
  /**
   * Drops the queued job of one round, if any and not running. Lets a cancelled notification
   * leave the queue, and a resumed one be queued for now instead of its old time.
   */
  unschedule(notificationId: number, round: number): Promise<void>;
}

/** A change to a notification or one of its attempts, as announced to watchers. */
export type NotificationEvent =
  | { type: "created" | "updated"; id: number; status: string }
  | { type: "attempt"; id: number; channel: string; status: string }
  /** Events may have been missed (the feed reconnected): watchers should reload what they show. */
  | { type: "resync" };

/** Announces committed changes; never throws and never waits: watchers are not the record. */
export interface NotificationEventPublisher {
  publish(event: NotificationEvent): void;
}

export interface NotificationEventFeed {
  /** Resolves once the listener will receive every change announced from then on. */
  subscribe(listener: (event: NotificationEvent) => void): Promise<() => void>;
}

/**
 * Tells idle workers, in every process, that work became due now (a notification was created,
 * retried by hand, or otherwise made due). It carries no state: PostgreSQL holds what is due, and
 * workers also poll slowly, so a lost wake-up only delays work by one poll.
 */
export interface WorkWakeUps {
  /** Fire and forget; never throws and never waits. */
  wake(): void;
  /** Calls `listener` on every wake-up, from any process; resolves once listening. */
  listen(listener: () => void): Promise<() => void>;
  close(): Promise<void>;
}
