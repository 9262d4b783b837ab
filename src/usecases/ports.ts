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
}
