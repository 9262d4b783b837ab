/**
 * A worker that starts while Redis is away cannot subscribe to wake-ups; it polls meanwhile. Once
 * Redis answers it must subscribe after all, or it stays on polling for good: every notification
 * then waits up to POLL_INTERVAL_SECONDS instead of starting at once. A private Redis, stopped
 * before the worker starts and started again under the same port.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "../../src/redis/connection.js";
import { RedisWorkWakeUps } from "../../src/redis/redis-work-wake-ups.js";
import { captureLogs } from "../support/captured-logs.js";
import { PrivateRedis } from "../support/private-redis.js";
import { waitFor } from "../support/wait-for.js";

describe("wake-ups when Redis comes after the worker", () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await PrivateRedis.create();
  });
  afterAll(async () => {
    await redis?.kill();
  });

  it("subscribes once Redis answers, and is woken by what is published then", async () => {
    await redis.kill();
    const prefix = `wake-ups-${process.pid}`;
    const channel = `${prefix}:work-due`;
    const { logger, lines } = captureLogs();
    const publisher = createRedis(redis.url, logger, "producer");
    const wakeUps = new RedisWorkWakeUps(publisher, redis.url, prefix, logger);
    let woken = 0;
    await wakeUps.listen(() => {
      woken += 1;
    });
    const control = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    control.on("error", () => {});
    try {
      // The subscription was refused while Redis was away: the worker polls meanwhile.
      await waitFor("the failed subscription to be logged", () =>
        lines.some((line) => line.message.startsWith("could not listen for wake-ups")) ? true : undefined,
      );
      await redis.start();
      await control.connect();
      await waitFor(
        "the worker's subscription to wake-ups",
        async () => {
          const [, subscribers] = (await control.pubsub("NUMSUB", channel)) as [string, number];
          return subscribers === 1 ? true : undefined;
        },
        10_000,
      );
      const before = woken;
      await control.publish(channel, "");
      await waitFor(
        "the published wake-up to reach the listener",
        () => (woken > before ? true : undefined),
        5_000,
      );
      expect(woken).toBeGreaterThan(before);
    } finally {
      control.disconnect();
      await wakeUps.close();
      publisher.disconnect();
    }
  });
});
