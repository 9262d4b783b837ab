/**
 * Telegram's pacing with a Redis that answers late now and then: one line as the fall-back starts
 * and one as it ends, however often Redis is late meanwhile; Redis left alone for a while after a
 * late answer; and never two of this process's slots closer than Telegram's limits, across every
 * change between the shared and the local limiter. Uses a Redis of its own, paused with CLIENT PAUSE
 * (which ends by itself).
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiterWithFallback } from "../../src/channels/telegram/rate-limiter-with-fallback.js";
import {
  type ChatRateLimiter,
  type RateLimitDecision,
  TelegramRateLimiter,
} from "../../src/channels/telegram/telegram-rate-limit.js";
import { InProcessChatRateLimiter } from "../../src/in-process/in-process-chat-rate-limiter.js";
import { captureLogs } from "../support/captured-logs.js";
import { PrivateRedis } from "../support/private-redis.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PAUSE_MS = 600;
const HOLD_MS = 500;

describe("Telegram pacing while Redis answers late now and then", () => {
  let redis: PrivateRedis;
  let client: Redis;
  let admin: Redis;

  beforeAll(async () => {
    redis = await PrivateRedis.create();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    admin = new Redis(redis.url);
    // Connected before the first reservation: the one episode is then the pauses'.
    await Promise.all([client.ping(), admin.ping()]);
  });
  afterAll(async () => {
    client?.disconnect();
    admin?.disconnect();
    await redis?.kill();
  });

  it("logs each episode once, stays local for a while after a late answer, and keeps the pace", async () => {
    const logs = captureLogs();
    const warnedAt: number[] = [];
    const logger = {
      ...logs.logger,
      warn: (fields: object, message?: string) => {
        warnedAt.push(Date.now());
        logs.logger.warn(fields, message);
      },
    };
    const redisLimiter = new TelegramRateLimiter(client, { keyPrefix: "hysteresis" });
    const askedRedisAt: number[] = [];
    const shared: ChatRateLimiter = {
      reserve(chatId, maxWaitMs) {
        askedRedisAt.push(Date.now());
        return redisLimiter.reserve(chatId, maxWaitMs);
      },
    };
    const limiter = new RateLimiterWithFallback(
      shared,
      new InProcessChatRateLimiter({ perChatPerSecond: 1, globalPerSecond: 30 }),
      () => client.status === "ready",
      logger,
      { answerTimeoutMs: 250, localHoldMs: HOLD_MS, steadyMs: 1000 },
    );

    // 40 reservations a second, each for a chat of its own: more than the bot's 30.
    const decisions: { askedAt: number; decision: RateLimitDecision }[] = [];
    const answers: Promise<void>[] = [];
    let chat = 0;
    const drive = async (ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end; await sleep(25)) {
        const askedAt = Date.now();
        answers.push(
          limiter.reserve(`c${chat++}`, 1000).then((decision) => {
            decisions.push({ askedAt, decision });
          }),
        );
      }
    };
    const pausedAt: number[] = [];
    const pauseRedis = async (ms: number) => {
      pausedAt.push(Date.now());
      expect(await admin.call("CLIENT", "PAUSE", String(ms), "ALL")).toBe("OK");
    };

    // Shared while Redis answers; then late three times, with a moment in time between.
    const driving = drive(5_500);
    await sleep(500);
    for (let pause = 0; pause < 3; pause++) {
      await pauseRedis(PAUSE_MS);
      await sleep(PAUSE_MS + 200);
    }
    await driving;
    await Promise.all(answers);

    const fellBack = logs.lines.filter((line) => line.message.includes("falls back"));
    const recovered = logs.lines.filter((line) => line.message.includes("shared through Redis again"));
    expect(fellBack.length, logs.text()).toBe(1);
    expect(recovered.length, logs.text()).toBe(1);
    expect(fellBack[0]!.level).toBe("warn");
    expect(recovered[0]!.level).toBe("info");
    // The three pauses were all missed, and all told as one episode.
    expect(recovered[0]!.fields.lateOrFailedAnswers).toBeGreaterThanOrEqual(2);
    // After the late answer, Redis is not asked again for the hold.
    const first = warnedAt[0]!;
    expect(askedRedisAt.filter((at) => at > first + 1 && at < first + HOLD_MS - 5)).toEqual([]);
    expect(askedRedisAt.some((at) => at >= first + HOLD_MS)).toBe(true);

    // Reservations go on while Redis is paused, and never two slots closer than 1/30 s.
    const booked = decisions.filter(({ decision }) => decision.reserved);
    for (const start of pausedAt) {
      const during = booked.filter(({ askedAt }) => askedAt >= start && askedAt < start + PAUSE_MS);
      expect(during.length).toBeGreaterThanOrEqual(5);
    }
    const slots = booked.map(({ decision }) => decision.slotAt!).sort((a, b) => a - b);
    const gaps = slots.slice(1).map((slot, index) => slot - slots[index]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / 30 - 0.01);
    expect(booked.length).toBeGreaterThanOrEqual(100);

    // Late again after the episode ended: a new episode, told again.
    const again = drive(800);
    await sleep(100);
    await pauseRedis(400);
    await again;
    await Promise.all(answers);
    expect(logs.lines.filter((line) => line.message.includes("falls back")).length, logs.text()).toBe(2);
  });
});
