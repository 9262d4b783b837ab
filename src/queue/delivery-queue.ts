import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../core/logger.js";
import { PacedBatch } from "../redis/paced-batch.js";
import type { DeliveryScheduler, ScheduledDelivery } from "../usecases/ports.js";

export const DELIVERY_QUEUE_NAME = "deliveries";

export interface QueuedDelivery {
  notificationId: number;
  round: number;
}

/**
 * A job is one delivery ("deliver": retries, the sweeper, a lone create) or the notifications an
 * API process created in one tick ("deliver-batch"): one job for many saves Redis and both
 * processes a round trip and a script per notification, and lets the worker claim them together.
 */
export type DeliveryJobData = QueuedDelivery | { deliveries: QueuedDelivery[] };

/** Up to this many deliveries per batch job, so batches still spread over several workers. */
const DELIVERIES_PER_BATCH_JOB = 32;
/**
 * Under load, deliveries due now go to Redis at most this often, as fuller batch jobs: each job
 * costs the API a BullMQ script and the worker two more, whatever its size. A quiet API still
 * queues each one on the next tick.
 */
const SCHEDULE_INTERVAL_MS = 5;

export function deliveriesOf(data: DeliveryJobData): QueuedDelivery[] {
  return "deliveries" in data ? data.deliveries : [data];
}

/**
 * One job per notification and round. The job id is derived from both, so queueing the same
 * round twice (the API and the sweeper racing, a retried enqueue) leaves one job in Redis. Batch
 * jobs have no such id: a notification queued twice is harmless (its lease lets one delivery run,
 * the other finds nothing to claim), and cancelling one only needs it not to be claimable.
 */
export function deliveryJobId(notificationId: number, round: number): string {
  return `n${notificationId}-r${round}`;
}

export class DeliveryQueue implements DeliveryScheduler {
  private readonly queue: Queue<DeliveryJobData>;
  private readonly soon: PacedBatch<ScheduledDelivery>;

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
    this.soon = new PacedBatch(SCHEDULE_INTERVAL_MS, (batch) =>
      this.scheduleBatched(batch).catch((error: Error) =>
        this.logger.warn(
          { count: batch.length, err: error.message },
          "could not queue deliveries now; the sweeper will queue them",
        ),
      ),
    );
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
   * round trip, those due now as batch jobs. A failure is logged, not thrown: the notification is
   * already safe in PostgreSQL and the sweeper will queue it.
   */
  scheduleSoon(delivery: ScheduledDelivery): void {
    this.soon.add(delivery);
  }

  private async scheduleBatched(deliveries: ScheduledDelivery[]): Promise<void> {
    const batches: QueuedDelivery[][] = [];
    const alone: ScheduledDelivery[] = [];
    const now = deliveries.filter((delivery) => delivery.delaySeconds <= 0);
    for (let start = 0; start < now.length; start += DELIVERIES_PER_BATCH_JOB) {
      const batch = now.slice(start, start + DELIVERIES_PER_BATCH_JOB);
      // A lone delivery keeps its own job id, which the dashboard's cancel can remove.
      if (batch.length === 1) alone.push(...batch);
      else batches.push(batch.map(({ notificationId, round }) => ({ notificationId, round })));
    }
    alone.push(...deliveries.filter((delivery) => delivery.delaySeconds > 0));
    await Promise.all([
      batches.length > 0 &&
        this.queue.addBulk(batches.map((batch) => ({ name: "deliver-batch", data: { deliveries: batch } }))),
      this.schedule(alone),
    ]);
  }

  async unschedule(notificationId: number, round: number): Promise<void> {
    // 0 when the job is running: its worker will find the notification not claimable and finish.
    await this.queue.remove(deliveryJobId(notificationId, round));
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts("waiting", "active", "delayed", "prioritized");
  }

  async close(): Promise<void> {
    await this.soon.flush();
    await this.queue.close();
  }
}
