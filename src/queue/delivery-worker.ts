import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../core/logger.js";
import { DELIVERY_QUEUE_NAME, type DeliveryJobData } from "./delivery-queue.js";

export interface DeliveryWorkerOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  /**
   * How soon a killed worker's job goes back to the queue: its lock lapses after lockDurationMs
   * and the next stalled check (every stalledIntervalMs) moves it back to wait.
   */
  lockDurationMs: number;
  stalledIntervalMs: number;
  logger: Logger;
  handle: (notificationId: number) => Promise<unknown>;
}

/** Runs queued deliveries through `handle`; what a delivery does is the use case's business. */
export function startDeliveryWorker(options: DeliveryWorkerOptions): Worker<DeliveryJobData> {
  const worker = new Worker<DeliveryJobData>(
    DELIVERY_QUEUE_NAME,
    async (job: Job<DeliveryJobData>) => options.handle(job.data.notificationId),
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
    options.logger.warn(
      { notificationId: job?.data.notificationId, err: error.message },
      "delivery job failed; it will be retried",
    ),
  );
  worker.on("error", () => {}); // connection errors are reported once by the connection itself
  return worker;
}
