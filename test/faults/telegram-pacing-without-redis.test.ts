/**
 * Telegram's pacing while Redis is away: the worker keeps sending, paced by its own process at
 * Telegram's limits, instead of failing every message or bursting past 30 a second. Uses a Redis
 * of its own, killed mid-test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProviders, closeProviders } from "../../src/channels/build-providers.js";
import { parseConfig } from "../../src/config.js";
import { silentLogger } from "../../src/core/logger.js";
import { createSideChannels, type SideChannels } from "../../src/side-channels.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { PrivateRedis } from "../support/private-redis.js";

const TOKEN = "123456789:AApacing-without-redis";

describe("Telegram pacing while Redis is down", () => {
  let redis: PrivateRedis;
  let telegram: FakeTelegram;
  let sideChannels: SideChannels;

  beforeAll(async () => {
    [redis, telegram] = await Promise.all([PrivateRedis.create(), FakeTelegram.start()]);
  });
  afterAll(async () => {
    await sideChannels?.close();
    await redis?.kill();
    await telegram?.close();
  });

  it("falls back to this process's own limits: every send goes, none faster than 30 a second", async () => {
    const config = parseConfig({
      REDIS_URL: redis.url,
      REDIS_PREFIX: "pacing",
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_URL: telegram.url,
    });
    sideChannels = createSideChannels(config, silentLogger);
    const { telegramRateLimiter } = sideChannels.forDelivery();
    const providers = buildProviders(config, { telegramRateLimiter });
    const provider = providers.get("telegram");
    const send = (chat: number) =>
      provider!.send(
        { to: String(chat), text: `to ${chat}`, subject: null, notificationId: chat },
        AbortSignal.timeout(5_000),
      );

    // Shared through Redis while it answers.
    expect((await send(1)).kind).toBe("sent");
    await redis.kill();

    telegram.reset();
    const burstStart = Date.now();
    const outcomes = await Promise.all(Array.from({ length: 45 }, (_, i) => send(100 + i)));
    const kinds = outcomes.map((outcome) => outcome.kind);
    // Nothing fails for want of Redis: a send goes, or waits its turn (what would wait over a
    // second comes back rate-limited, for the delivery policy to retry later).
    expect(new Set(kinds)).toEqual(new Set(["sent", "rate_limited"]));
    const arrivals = telegram.requests.map((request) => request.receivedAt).sort((a, b) => a - b);
    expect(arrivals.length).toBe(kinds.filter((kind) => kind === "sent").length);
    expect(arrivals.length).toBeGreaterThanOrEqual(25);
    // Booked 1000/30 ms apart from the burst's start on: the network can only delay an arrival, so
    // the last cannot come sooner. (The gap between first and last arrival would not do: a first
    // request slowed by a busy machine shrinks it.)
    expect(arrivals.at(-1)! - burstStart).toBeGreaterThanOrEqual((arrivals.length - 1) * (1000 / 30) - 5);
    // Per chat, a second apart, as before: of three at once, at least the third must wait too long.
    telegram.reset();
    const sameStart = Date.now();
    const same = await Promise.all([send(7), send(7), send(7)]);
    expect(same.filter((outcome) => outcome.kind === "rate_limited").length).toBeGreaterThanOrEqual(1);
    const toSeven = telegram.requests.map((request) => request.receivedAt).sort((a, b) => a - b);
    expect(toSeven.length).toBeGreaterThanOrEqual(1);
    if (toSeven.length === 2) expect(toSeven[1]! - sameStart).toBeGreaterThanOrEqual(995);
    await closeProviders(providers);
  });
});
