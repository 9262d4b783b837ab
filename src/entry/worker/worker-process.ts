import type { Core } from "../../app.js";
import { createDeliveryRuntime, type DeliveryOptions } from "../../app.js";
import { startDeliveryWorker } from "../../queue/delivery-worker.js";
import { deleteOldNotifications } from "../../usecases/delete-old-notifications.js";
import { abandonDeliveries, deliverNotification } from "../../usecases/deliver-notification.js";
import { forgetExpiredIdempotencyKeys } from "../../usecases/forget-expired-idempotency-keys.js";
import { requeueOrphaned } from "../../usecases/requeue-orphaned.js";

// Expired keys are already ignored and old notifications only take space: deleting them is
// housekeeping and need not be frequent. Each worker runs it at its first sweep, then this often.
const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

export interface RunningWorker {
  /** Stops taking work, lets deliveries in flight finish (bounded by the grace period), closes. */
  stop(): Promise<void>;
  /** One sweep now; the sweeper also runs on its own every SWEEP_INTERVAL_SECONDS. */
  sweep(): Promise<number>;
}

/** Runs deliveries from the queue and the sweeper that re-queues what the queue lost. */
export function startWorker(core: Core, options: DeliveryOptions = {}): RunningWorker {
  const { config, logger } = core;
  let stopping = false;
  const runtime = createDeliveryRuntime(core, { ...options, stopping: () => stopping });
  const worker = startDeliveryWorker({
    connection: runtime.workerRedis,
    prefix: config.redisPrefix,
    concurrency: config.workerConcurrency,
    // While a killed worker's job still looks active in Redis, the sweeper cannot queue its
    // notification again (same job id), so the job must come back before the lease runs out:
    // then a takeover takes at most LEASE_SECONDS plus a sweep or two.
    lockDurationMs: Math.max(1_000, Math.round(config.leaseSeconds * 500)),
    stalledIntervalMs: Math.max(1_000, Math.round(config.sweepIntervalSeconds * 1000)),
    logger,
    handle: (notificationId) => deliverNotification(runtime.deliverDeps, notificationId),
    handBack: (deliveries) =>
      core.scheduler.schedule(deliveries.map((delivery) => ({ ...delivery, delaySeconds: 0 }))),
  });
  // Due this long without a worker holding it, a notification has surely lost its queue job.
  const orphanAfterSeconds = Math.max(1, config.sweepIntervalSeconds);
  const sweep = () => requeueOrphaned(runtime.deliverDeps, orphanAfterSeconds);
  const housekeeping = async () => {
    await forgetExpiredIdempotencyKeys(core).catch((error: Error) =>
      logger.warn({ err: error.message }, "could not delete expired idempotency keys; will try again"),
    );
    if (config.retentionDays > 0) {
      await deleteOldNotifications(core, config.retentionDays)
        .then((deleted) => {
          if (deleted > 0)
            logger.info(
              { deleted, retentionDays: config.retentionDays },
              "deleted old finished notifications",
            );
        })
        .catch((error: Error) =>
          logger.warn({ err: error.message }, "could not delete old notifications; will try again"),
        );
    }
  };
  let housekeptAt = 0;
  const sweeper = setInterval(() => {
    sweep().catch((error: Error) => logger.warn({ err: error.message }, "sweep failed; will try again"));
    if (Date.now() - housekeptAt >= HOUSEKEEPING_INTERVAL_MS) {
      housekeptAt = Date.now();
      void housekeeping();
    }
  }, config.sweepIntervalSeconds * 1000);

  return {
    sweep,
    async stop() {
      stopping = true;
      clearInterval(sweeper);
      const grace = new Promise<false>((resolve) =>
        setTimeout(() => resolve(false), config.shutdownGraceSeconds * 1000).unref(),
      );
      // close() waits for the jobs in flight; past the grace period we stop waiting, record their
      // calls as interrupted and free their notifications for another worker.
      const finished = await Promise.race([worker.close().then(() => true), grace]);
      if (!finished) {
        const abandoned = await abandonDeliveries(runtime.deliverDeps).catch((error: Error) => {
          logger.warn({ err: error.message }, "could not free the deliveries in flight; their leases will");
          return 0;
        });
        logger.warn({ abandoned }, "shutdown grace period over; deliveries in flight left to other workers");
      }
      await runtime.close();
    },
  };
}
