import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../core/logger.js";
import {
  DELIVERY_QUEUE_NAME,
  type DeliveryJobData,
  deliveriesOf,
  type QueuedDelivery,
} from "./delivery-queue.js";
import { DeliverySlots } from "./delivery-slots.js";

export interface DeliveryWorkerOptions {
  connection: Redis;
  prefix: string;
  /** Deliveries in flight at once in this process, and jobs BullMQ hands it at once. */
  concurrency: number;
  /**
   * How soon a killed worker's job goes back to the queue: its lock lapses after lockDurationMs
   * and the next stalled check (every stalledIntervalMs) moves it back to wait.
   */
  lockDurationMs: number;
  stalledIntervalMs: number;
  logger: Logger;
  handle: (notificationId: number) => Promise<unknown>;
  /** Queues deliveries of a batch this worker will not start, because it is stopping, for others. */
  handBack: (deliveries: QueuedDelivery[]) => Promise<void>;
}

export interface DeliveryWorker {
  /** Takes no new job and starts no waiting delivery; resolves once those in flight are done. */
  close(): Promise<void>;
}

/** Runs queued deliveries through `handle`; what a delivery does is the use case's business. */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { logger } = options;
  const slots = new DeliverySlots(options.concurrency);
  const handBack = (delivery: QueuedDelivery) =>
    options
      .handBack([delivery])
      .catch((error: Error) =>
        logger.warn(
          { notificationId: delivery.notificationId, round: delivery.round, err: error.message },
          "could not queue a delivery left at shutdown; the sweeper will",
        ),
      );
  const worker = new Worker<DeliveryJobData>(
    DELIVERY_QUEUE_NAME,
    async (job: Job<DeliveryJobData>) => {
      const deliveries = deliveriesOf(job.data);
      if (deliveries.length === 1) {
        const { notificationId } = deliveries[0]!;
        // Run even when stopping (the use case lets go of it): handing it back under its own job
        // id, which is still active, would be ignored.
        if (!(await slots.run(() => options.handle(notificationId)))) await options.handle(notificationId);
        return;
      }
      // Those not started when the worker stops go back to the queue at once, for other workers.
      const handedBack: Promise<void>[] = [];
      const results = await Promise.allSettled(
        deliveries.map(async (delivery) => {
          const started = await slots.run(() => options.handle(delivery.notificationId));
          if (!started) handedBack.push(handBack(delivery));
        }),
      );
      await Promise.all(handedBack);
      // BullMQ retries the job; what it already delivered is no longer claimable.
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      // The notification's own lease in PostgreSQL, not this lock, is what keeps two workers
      // from delivering it; the lock only says when a dead worker's job is handed out again.
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 100,
    },
  );
  worker.on("failed", (job, error) =>
    logger.warn(
      { notificationIds: job ? deliveriesOf(job.data).map((d) => d.notificationId) : [], err: error.message },
      "delivery job failed; it will be retried",
    ),
  );
  worker.on("error", () => {}); // connection errors are reported once by the connection itself
  return {
    async close() {
      slots.close();
      await worker.close();
    },
  };
}
