import { Redis } from "ioredis";
import type { Logger } from "../core/logger.js";

/**
 * `forWorker`: a blocking consumer must wait out a Redis restart rather than fail its commands
 * Producers fail fast instead, so an API request never hangs on Redis: PostgreSQL holds the
 * notification, and a worker that missed its wake-up finds it at its next poll.
 */
export function createRedis(url: string, logger: Logger, role: "producer" | "worker" | "client"): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role !== "producer",
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  });
  let reported = false;
  redis.on("error", (error: Error) => {
    if (reported) return;
    reported = true;
    logger.warn({ role, err: error.message }, "Redis connection error; retrying");
  });
  redis.on("ready", () => {
    if (reported) logger.info({ role }, "Redis connection restored");
    reported = false;
  });
  return redis;
}
