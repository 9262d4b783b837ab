import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../core/logger.js";
import type { DeliveryScheduler, ScheduledDelivery } from "../usecases/ports.js";

export const DELIVERY_QUEUE_NAME = "deliveries";

export interface DeliveryJobData {
  notificationId: number;
  round: number;
}

/**
 * One job per notification and round. The job id is derived from both, so queueing the same
 * round twice (the API and the sweeper racing, a retried enqueue) leaves one job in Redis.
 */
export function deliveryJobId(notificationId: number, round: number): string {
  return `n${notificationId}-r${round}`;
}

export class DeliveryQueue implements DeliveryScheduler {
  private readonly queue: Queue<DeliveryJobData>;
  private pending: ScheduledDelivery[] = [];
  private flushScheduled = false;

  constructor(
    connection: Redis,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.queue = new Queue<DeliveryJobData>(DELIVERY_QUEUE_NAME, {
      connection,
      prefix,
      defaultJobOptions: {
        // Finished jobs are dropped: PostgreSQL keeps the record, and a kept job id would block
        // the sweeper from queueing the same round again after a lost delivery.
        removeOnComplete: true,
        removeOnFail: true,
        attempts: 5,
        backoff: { type: "exponential", delay: 1_000 },
      },
    });
    this.queue.on("error", () => {}); // connection errors are reported once by the connection itself
  }

  async schedule(deliveries: ScheduledDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map(({ notificationId, round, delaySeconds }) => ({
        name: "deliver",
        data: { notificationId, round },
        opts: {
          jobId: deliveryJobId(notificationId, round),
          delay: Math.max(0, Math.round(delaySeconds * 1000)),
        },
      })),
    );
  }

  /**
   * Queues without making the caller wait: deliveries asked for in the same tick go to Redis in one
   * round trip. A failure is logged, not thrown: the notification is already safe in PostgreSQL
   * and the sweeper will queue it.
   */
  scheduleSoon(delivery: ScheduledDelivery): void {
    this.pending.push(delivery);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      const batch = this.pending;
      this.pending = [];
      this.flushScheduled = false;
      this.schedule(batch).catch((error: Error) =>
        this.logger.warn(
          { count: batch.length, err: error.message },
          "could not queue deliveries now; the sweeper will queue them",
        ),
      );
    });
  }

  async unschedule(notificationId: number, round: number): Promise<void> {
    // 0 when the job is running: its worker will find the notification not claimable and finish.
    await this.queue.remove(deliveryJobId(notificationId, round));
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts("waiting", "active", "delayed", "prioritized");
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
