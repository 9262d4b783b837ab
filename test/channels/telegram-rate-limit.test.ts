import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegramRateLimiter } from "../../src/channels/telegram/telegram-rate-limit.js";

const prefix = `test-tg-limit-${randomUUID()}`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const limiter = (name: string, limits: { perChatPerSecond?: number; globalPerSecond?: number } = {}) =>
  new TelegramRateLimiter(redis, { keyPrefix: `${prefix}:${name}`, ...limits });

describe("Telegram rate limiter (Redis)", () => {
  it("lets the first message to a chat go now", async () => {
    expect(await limiter("first").reserve("1", 1000)).toMatchObject({ reserved: true, waitMs: 0 });
  });

  it("books the next slot for the same chat about a second later", async () => {
    const limits = limiter("same-chat");
    const first = await limits.reserve("1", 1000);
    const second = await limits.reserve("1", 1000);
    expect(second.reserved).toBe(true);
    expect(second.waitMs).toBeGreaterThan(0);
    expect(second.waitMs).toBeLessThanOrEqual(1000);
    expect((second.slotAt ?? 0) - (first.slotAt ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it("books nothing when the wait is longer than the caller accepts", async () => {
    const limits = limiter("too-long");
    await limits.reserve("1", 1000);
    await limits.reserve("1", 1000); // the slot a second from now
    const third = await limits.reserve("1", 1000);
    expect(third.reserved).toBe(false);
    expect(third.waitMs).toBeGreaterThan(1000);
    // Nothing was booked: asking again gives the same answer, not one a second later.
    const again = await limits.reserve("1", 1000);
    expect(again.waitMs).toBeLessThanOrEqual(third.waitMs);
  });

  it("keeps chats apart but paces the bot as a whole", async () => {
    const limits = limiter("global", { globalPerSecond: 10 });
    const first = await limits.reserve("1", 1000);
    const other = await limits.reserve("2", 1000);
    expect(first.waitMs).toBe(0);
    expect(other.reserved).toBe(true);
    expect(other.waitMs).toBeLessThanOrEqual(100);
    // The other chat waits for the bot's pace (100 ms at 10/s), not for the first chat's second.
    expect((other.slotAt ?? 0) - (first.slotAt ?? 0)).toBeGreaterThanOrEqual(100);
  });

  it("gives each of many concurrent callers its own slot", async () => {
    const limits = limiter("concurrent", { perChatPerSecond: 1, globalPerSecond: 1000 });
    const decisions = await Promise.all(Array.from({ length: 5 }, () => limits.reserve("1", 10_000)));
    // Compared on Redis' clock: each call's wait is measured from its own moment, which a loaded
    // machine spreads by tens of milliseconds, but the booked slots themselves are exact.
    const slots = decisions.map((d) => d.slotAt ?? Number.NaN).sort((a, b) => a - b);
    expect(decisions.every((d) => d.reserved)).toBe(true);
    for (let i = 1; i < slots.length; i++) {
      expect((slots[i] ?? 0) - (slots[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
    }
  });

  it("keeps its keys under the prefix and lets them expire", async () => {
    // Slow rates, so the keys outlive the checks: at the default 30 a second the global key lives
    // 34 ms, which a loaded machine can spend before KEYS answers.
    const limits = limiter("keys", { perChatPerSecond: 1, globalPerSecond: 1 });
    await limits.reserve("-100777", 1000);
    const keys = (await redis.keys(`${prefix}:keys*`)).sort();
    expect(keys).toEqual([`${prefix}:keys:chat:-100777`, `${prefix}:keys:global`]);
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it("refuses rates that are not positive", () => {
    expect(() => limiter("bad", { perChatPerSecond: 0 })).toThrow(RangeError);
  });
});
