import { Redis } from "ioredis";
import type { Core } from "../../src/app.js";
import { TEST_REDIS_URL } from "./databases.js";

/** The core's shared Redis connection, for tests that run with REDIS_URL set. */
export function redisOf(core: Core): Redis {
  if (!core.redis) throw new Error("this core runs without Redis (REDIS_URL is not set)");
  return core.redis;
}

/** Resolves once the core's Redis connection is ready; at once without Redis. */
export async function redisConnected(core: Core): Promise<void> {
  const redis = core.redis;
  if (!redis || redis.status === "ready") return;
  await new Promise((resolve) => redis.once("ready", resolve));
}

/** Deletes every key under a test's own prefix, and nothing else. */
export async function deleteRedisKeys(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
