import { Redis } from "ioredis";
import type { Logger } from "../core/logger.js";

/**
 * How long a command waits for Redis' answer before it fails and its caller goes on without it
 * (the API rate limit is skipped, the channel circuit fails open, a wake-up is left to the poll).
 * A Redis that holds commands on an open connection (CLIENT PAUSE during a failover, a stalled
 * host, a partition TCP notices only hours later) would otherwise hold every API request and
 * every delivery as long. Redis answers in well under a millisecond; a command that timed out
 * still runs when Redis gets to it, so a wake-up or a live event comes late rather than never.
 * Not shorter: the timer also runs out when this process's event loop is held that long (a long
 * collection, a busy machine), and expired timers fire before the answer waiting on the socket is
 * read, so at 500 ms a loaded machine failed commands Redis had answered at once (a scrape of
 * /metrics said Redis was down; a rate limit would be skipped).
 */
export const COMMAND_TIMEOUT_MS = 2_000;

/**
 * `producer`: fails at once while disconnected, so an API request never waits for Redis:
 * PostgreSQL holds the notification, and a worker that missed its wake-up finds it at its next poll.
 * `client`: queues commands while reconnecting (a worker's pacing and circuit), still bounded by
 * COMMAND_TIMEOUT_MS. `subscriber`: as `client`, with no time limit on a command: a subscription is
 * answered when Redis gets to it, and its owner bounds how long it waits.
 */
export function createRedis(url: string, logger: Logger, role: "producer" | "client" | "subscriber"): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: role !== "producer",
    commandTimeout: role === "subscriber" ? undefined : COMMAND_TIMEOUT_MS,
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
