import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeSmsRu, smsRuReplies } from "../support/fake-sms-ru.js";
import { type FakeTelegram, telegramReplies } from "../support/fake-telegram.js";
import {
  reachableEverywhere,
  type ServiceWithLoopbackProviders,
  startServiceWithLoopbackProviders,
} from "../support/service-with-loopback-providers.js";
import type { SmtpSink } from "../support/smtp-sink.js";
import { startTestService, type TestService } from "../support/test-service.js";

const TOKEN = "123456:TEST-token_abc";

describe("delivery across channels, in fallback order", () => {
  let setup: ServiceWithLoopbackProviders;
  let smsRu: FakeSmsRu;
  let telegram: FakeTelegram;
  let smtp: SmtpSink;
  let service: TestService;

  beforeAll(async () => {
    setup = await startServiceWithLoopbackProviders({
      smtp: { user: "mailer@example.com", password: "smtp-secret-pw" },
      env: {
        SMS_RU_API_ID: "api-id-secret",
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_CHAT_ID: "-100200300",
        EMAIL_HOST_USER: "mailer@example.com",
        EMAIL_HOST_PASSWORD: "smtp-secret-pw",
        EMAIL_FROM: "Notifier <noreply@example.com>",
        MAX_RETRIES: "2",
      },
    });
    ({ service } = setup);
    ({ smsRu, telegram, smtp } = setup.providers);
  });
  afterAll(() => setup?.close());
  beforeEach(() => setup.startAfresh());

  const everyContact = (email: string) => reachableEverywhere(email, "555000111");

  it("falls back from a failing SMS to email, and never reaches Telegram", async () => {
    const user = await service.createUser(everyContact("fallback@example.com"));
    smsRu.replyNext(smsRuReplies.numberError("79990001122", 207));
    const created = await service.createNotification({
      user: user.id,
      message: "Your code is 1234",
      subject: "Code",
    });

    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "sent", last_channel: "email", retry_count: 0 });
    expect(done.attempts.map((a) => [a.channel, a.status])).toEqual([
      ["sms", "failed"],
      ["email", "sent"],
    ]);
    expect(done.attempts[0]).toMatchObject({ error_kind: "permanent", provider_code: "207" });
    expect(done.attempts[0]?.error).toBeTruthy();

    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({
      rcptTo: ["fallback@example.com"],
      subject: "Code",
      authUser: "mailer@example.com",
      from: expect.stringContaining("noreply@example.com"),
    });
    expect(smtp.mails[0]?.text.trim()).toBe("Your code is 1234");
    expect(done.attempts[1]?.provider_message_id).toBe(smtp.mails[0]?.messageId);
    expect(telegram.requests).toHaveLength(0);
  });

  it("follows the notification's own channel order, and sends email with the default subject", async () => {
    const user = await service.createUser(everyContact("order@example.com"));
    telegram.replyNext(telegramReplies.botBlocked());
    const created = await service.createNotification({
      user: user.id,
      message: "telegram first",
      channels: ["telegram", "email"],
    });
    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "sent", last_channel: "email" });
    expect(done.attempts.map((a) => a.channel)).toEqual(["telegram", "email"]);
    expect(telegram.requests[0]).toMatchObject({
      token: TOKEN,
      body: { chat_id: "555000111", text: "telegram first" },
    });
    expect(smtp.mails[0]?.subject).toBe("Notification");
    expect(smsRu.messages).toHaveLength(0);
  });

  it("skips a channel the user has no contact for and records why", async () => {
    const user = await service.createUser({ email: "nophone@example.com", password: "long enough password" });
    const created = await service.createNotification({
      user: user.id,
      message: "no phone",
      channels: ["sms", "telegram"],
    });
    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "sent", last_channel: "telegram" });
    expect(done.attempts[0]).toMatchObject({
      channel: "sms",
      status: "skipped",
      error_kind: "no_contact",
      error: "the user has no phone number",
    });
    // A user without telegram_id is reached at TELEGRAM_CHAT_ID.
    expect(telegram.requests[0]?.body.chat_id).toBe("-100200300");
  });

  it("retries a round that failed everywhere, up to MAX_RETRIES, then fails with every attempt recorded", async () => {
    const user = await service.createUser(everyContact("allfail@example.com"));
    const serverError = { status: 502, raw: "Bad Gateway" };
    smsRu.replyNext(serverError, serverError, serverError);
    telegram.replyNext(
      telegramReplies.serverError(),
      telegramReplies.serverError(),
      telegramReplies.serverError(),
    );
    const created = await service.createNotification({
      user: user.id,
      message: "doomed",
      channels: ["sms", "telegram"],
    });

    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "failed", retry_count: 2, sent_at: null, next_attempt_at: null });
    expect(done.failure_reason).toMatch(/3 rounds/);
    expect(done.attempts.map((a) => `${a.round}:${a.channel}:${a.status}:${a.error_kind}`)).toEqual([
      "1:sms:failed:transient",
      "1:telegram:failed:transient",
      "2:sms:failed:transient",
      "2:telegram:failed:transient",
      "3:sms:failed:transient",
      "3:telegram:failed:transient",
    ]);
    expect(smsRu.messages).toHaveLength(3);
    expect(telegram.requests).toHaveLength(3);
  });

  it("splits a message longer than Telegram's 4096 characters into parts, in order", async () => {
    const user = await service.createUser(everyContact("long@example.com"));
    const paragraph = `${"word ".repeat(600).trim()}\n`;
    const message = paragraph.repeat(3); // about 9,000 characters
    const created = await service.createNotification({ user: user.id, message, channels: ["telegram"] });
    const done = await service.waitForStatus(created.id);
    expect(done.status).toBe("sent");
    const texts = telegram.sentTexts();
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(4096);
    expect(texts.join("").replace(/\s+/g, "")).toBe(message.replace(/\s+/g, ""));
  });
});

describe("a notification no channel can deliver", () => {
  let service: TestService;
  let smsRu: FakeSmsRu;

  beforeAll(async () => {
    smsRu = await FakeSmsRu.start();
    // Only SMS is configured; email and Telegram have no credentials.
    service = await startTestService({ env: { SMS_RU_API_URL: smsRu.url, SMS_RU_API_ID: "some-id" } });
  });
  afterAll(async () => {
    await service?.close();
    await smsRu?.close();
  });

  it("fails at once, without waiting out its retries, when every channel is skipped", async () => {
    const user = await service.createUser({
      email: "unreachable@example.com",
      password: "long enough password",
    });
    const created = await service.createNotification({ user: user.id, message: "nobody hears" });
    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "failed", retry_count: 0 });
    expect(done.attempts.map((a) => [a.channel, a.status, a.error_kind])).toEqual([
      ["sms", "skipped", "no_contact"],
      ["email", "skipped", "not_configured"],
      ["telegram", "skipped", "not_configured"],
    ]);
    expect(done.attempts[1]?.error).toMatch(/EMAIL_HOST/);
    expect(done.failure_reason).toMatch(/every channel was skipped/);
    expect(smsRu.messages).toHaveLength(0);
  });
});
