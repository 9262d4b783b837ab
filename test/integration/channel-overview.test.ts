import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSmsRu, smsRuReplies } from "../support/fake-sms-ru.js";
import { FakeTelegram, telegramReplies } from "../support/fake-telegram.js";
import { startTestService, type TestService } from "../support/test-service.js";

const PHONE = "79990001122";

interface Overview {
  window_seconds: number;
  failure_sample: number;
  channels: {
    channel: string;
    configured: boolean;
    not_configured_reason: string | null;
    paused_reason: string | null;
    order_position: number | null;
    last_hour: { sent: number; failed: number; skipped: number };
    last_success_at: string | null;
    common_failures: { reason: string; error_kind: string; provider_code: string; count: number }[];
  }[];
}

describe("the channel overview", () => {
  let smsRu: FakeSmsRu;
  let telegram: FakeTelegram;
  let service: TestService;
  let userId: number;

  beforeAll(async () => {
    [smsRu, telegram] = await Promise.all([FakeSmsRu.start(), FakeTelegram.start()]);
    service = await startTestService({
      env: {
        SMS_RU_API_URL: smsRu.url,
        SMS_RU_API_ID: "api-id-secret",
        TELEGRAM_API_URL: telegram.url,
        TELEGRAM_BOT_TOKEN: "123456:TEST-token_abc",
        CHANNEL_ORDER: "telegram,sms",
        MAX_RETRIES: "0",
      },
    });
    userId = (
      await service.createUser({
        email: "u@example.com",
        password: "long enough",
        phone_number: PHONE,
        telegram_id: "4242",
      })
    ).id;
  });
  afterAll(async () => {
    await service?.close();
    await Promise.all([smsRu?.close(), telegram?.close()]);
  });

  const deliver = async (channels: string[]) => {
    const { id } = await service.createNotification({ user: userId, message: "m", channels });
    return service.waitForStatus(id);
  };
  const overview = async () => {
    const response = await service.inject({ method: "GET", url: "/api/channels/overview/" });
    expect(response.statusCode).toBe(200);
    return response.json() as Overview;
  };

  it("shows every channel, configured or not and why, in CHANNEL_ORDER first", async () => {
    const body = await overview();
    expect(body).toMatchObject({ window_seconds: 3600, failure_sample: 100 });
    expect(body.channels.map((c) => [c.channel, c.configured, c.order_position])).toEqual([
      ["telegram", true, 1],
      ["sms", true, 2],
      ["email", false, null],
    ]);
    expect(body.channels[2]?.not_configured_reason).toBe("email is not configured (EMAIL_HOST is not set)");
    expect(body.channels[0]).toMatchObject({
      not_configured_reason: null,
      paused_reason: null,
      last_hour: { sent: 0, failed: 0, skipped: 0 },
      last_success_at: null,
      common_failures: [],
    });
  });

  it("counts the last hour's outcomes and ranks the most common recent failures", async () => {
    await deliver(["sms"]);
    await deliver(["sms"]);
    for (const reply of [
      smsRuReplies.numberError(PHONE, 207),
      smsRuReplies.numberError(PHONE, 207),
      smsRuReplies.numberError(PHONE, 207),
      smsRuReplies.numberError(PHONE, 202),
      smsRuReplies.numberError(PHONE, 202),
      smsRuReplies.numberError(PHONE, 209),
      smsRuReplies.requestError(220),
    ]) {
      smsRu.replyNext(reply);
      await deliver(["sms"]);
      // 202 and 207 suppress the number (docs/audiences.md); the next one must reach SMS.ru again.
      await service.core.pool.query("DELETE FROM suppressions");
    }
    // Email is skipped: it has no provider.
    await deliver(["email", "sms"]);
    // An hour and more ago: out of the counts, still among the recent failures.
    await service.core.pool.query(
      `UPDATE attempts SET finished_at = now() - interval '2 hours'
        WHERE id = (SELECT max(id) FROM attempts WHERE channel = 'sms' AND provider_code = '220')`,
    );

    const sms = (await overview()).channels.find((c) => c.channel === "sms")!;
    expect(sms.last_hour).toEqual({ sent: 3, failed: 6, skipped: 0 });
    expect(Date.now() - Date.parse(sms.last_success_at ?? "")).toBeLessThan(60_000);
    expect(sms.common_failures.map((f) => [f.provider_code, f.error_kind, f.count])).toEqual([
      ["207", "permanent", 3],
      ["202", "permanent", 2],
      // 209 and 220 once each: the more recent first (220's was moved back two hours).
      ["209", "permanent", 1],
    ]);
    expect(sms.common_failures[0]?.reason).toBe("На этот номер нет маршрута для доставки сообщений");
    const email = (await overview()).channels.find((c) => c.channel === "email")!;
    expect(email.last_hour).toEqual({ sent: 0, failed: 0, skipped: 1 });
  });

  it("says when a channel is paused after its provider rejected our settings", async () => {
    telegram.replyNext(telegramReplies.unauthorized());
    await deliver(["telegram"]);
    const channel = (await overview()).channels.find((c) => c.channel === "telegram")!;
    expect(channel.last_hour.failed).toBe(1);
    expect(channel.common_failures[0]).toMatchObject({ error_kind: "misconfigured", provider_code: "401" });
    expect(channel.paused_reason).toBeTruthy();
  });
});
