import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProviders, closeProviders } from "../../src/channels/build-providers.js";
import { TelegramRateLimiter } from "../../src/channels/telegram/telegram-rate-limit.js";
import { parseConfig } from "../../src/config.js";
import { FakeTelegram } from "../support/fake-telegram.js";

const TOKEN = "123456789:AAbuild-providers-token";

describe("building providers from config", () => {
  it("builds one provider per configured channel", async () => {
    const config = parseConfig({
      SMS_RU_API_ID: "some-api-id",
      EMAIL_HOST: "127.0.0.1",
      EMAIL_FROM: "noreply@example.com",
      TELEGRAM_BOT_TOKEN: TOKEN,
    });
    const providers = buildProviders(config);
    expect([...providers.keys()].sort()).toEqual(["email", "sms", "telegram"]);
    expect(providers.get("sms")?.vendor).toBe("SMS.ru");
    expect(providers.get("email")?.vendor).toBe("SMTP");
    expect(providers.get("telegram")?.vendor).toBe("Telegram Bot API");
    for (const [channel, provider] of providers) expect(provider.channel).toBe(channel);
    await closeProviders(providers);
  });

  it("leaves out channels that are not configured", async () => {
    const providers = buildProviders(parseConfig({ TELEGRAM_BOT_TOKEN: TOKEN }));
    expect([...providers.keys()]).toEqual(["telegram"]);
    await closeProviders(providers);
  });
});

describe("Telegram paced through Redis", () => {
  const prefix = `test-tg-limit-${randomUUID()}`;
  let redis: Redis;
  let fake: FakeTelegram;

  beforeAll(async () => {
    redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
    fake = await FakeTelegram.start();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await fake.close();
  });

  it("spaces messages to one chat a second apart and defers what can't go within a second", async () => {
    const config = parseConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_URL: fake.url,
      REDIS_PREFIX: prefix,
    });
    const telegramRateLimiter = new TelegramRateLimiter(redis, {
      keyPrefix: `${prefix}:telegram-rate`,
      perChatPerSecond: config.telegram?.perChatPerSecond,
      globalPerSecond: config.telegram?.globalPerSecond,
    });
    const providers = buildProviders(config, { telegramRateLimiter });
    const telegram = providers.get("telegram");
    const message = { to: "31337", text: "hi", subject: null, notificationId: 1 };
    const started = Date.now();
    const send = async () => {
      const outcome = await telegram?.send(message, AbortSignal.timeout(5000));
      return { kind: outcome?.kind };
    };

    const results = await Promise.all([send(), send(), send()]);
    expect(results.map((result) => result.kind).sort()).toEqual(["rate_limited", "sent", "sent"]);
    expect(fake.requests).toHaveLength(2);
    // The first reservation is taken no earlier than `started`, so the second request cannot reach
    // Telegram before a second after it. A gap between the two sends' completions would not do:
    // on a busy machine the first reply alone can come back 100 ms late and shrink that gap.
    const lastArrival = Math.max(...fake.requests.map((request) => request.receivedAt));
    expect(lastArrival - started).toBeGreaterThanOrEqual(995);
    expect(await redis.exists(`${prefix}:telegram-rate:chat:31337`)).toBe(1);
    await closeProviders(providers);
  });
});
