/**
 * Redis's own count of the commands it ran (INFO stats total_commands_processed), per
 * notification: like PostgreSQL's transactions per notification, it shows what the queue, the live
 * events and the metrics cost each notification. Commands inside Lua scripts (Telegram pacing) count too.
 * The count is server-wide, so another client of the same Redis during the run inflates it; the
 * CPU line of the table shows whether anything else was busy.
 */
import { Redis } from "ioredis";

export interface RedisWorkPerNotification {
  notifications: number;
  commandsPerNotification: number;
  commands: number;
}

export async function readRedisCommandCount(redisUrl: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const info = await redis.info("stats");
    const count = /total_commands_processed:(\d+)/.exec(info)?.[1];
    if (count === undefined) throw new Error("Redis INFO stats has no total_commands_processed");
    return Number(count);
  } finally {
    redis.disconnect();
  }
}

export function redisWorkPerNotification(
  from: number,
  to: number,
  notifications: number,
): RedisWorkPerNotification {
  const commands = to - from;
  return {
    notifications,
    commands,
    commandsPerNotification: notifications > 0 ? Math.round((commands / notifications) * 100) / 100 : 0,
  };
}
