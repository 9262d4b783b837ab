import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { captureLogs } from "../support/captured-logs.js";
import { type FakeSmsRu, smsRuReplies } from "../support/fake-sms-ru.js";
import { type FakeTelegram, telegramReplies } from "../support/fake-telegram.js";
import {
  reachableEverywhere,
  type ServiceWithLoopbackProviders,
  startServiceWithLoopbackProviders,
} from "../support/service-with-loopback-providers.js";
import type { SmtpSink } from "../support/smtp-sink.js";
import type { TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

describe("what the service does with each kind of provider outcome", () => {
  let setup: ServiceWithLoopbackProviders;
  let smsRu: FakeSmsRu;
  let telegram: FakeTelegram;
  let smtp: SmtpSink;
  let service: TestService;
  const logs = captureLogs();

  beforeAll(async () => {
    setup = await startServiceWithLoopbackProviders({
      logger: logs.logger,
      // 2 s, not 1: on a loaded machine an SMTP conversation on loopback has taken over 1 s, and a
      // permanent rejection then read as a timeout and started another round.
      env: { MAX_RETRIES: "1", PROVIDER_TIMEOUT_SECONDS: "2", CIRCUIT_COOLDOWN_SECONDS: "2" },
    });
    ({ service } = setup);
    ({ smsRu, telegram, smtp } = setup.providers);
  });
  afterAll(() => setup?.close());
  beforeEach(() => setup.startAfresh());

  const userWithEverything = (email: string) => service.createUser(reachableEverywhere(email, "777"));

  it("never tries a channel again after a permanent failure, and fails once nothing retryable is left", async () => {
    const user = await userWithEverything("permanent@example.com");
    smsRu.replyNext(smsRuReplies.numberError("79990001122", 207));
    telegram.replyNext(telegramReplies.serverError(), telegramReplies.serverError());
    const created = await service.createNotification({
      user: user.id,
      message: "m",
      channels: ["sms", "telegram"],
    });
    const done = await service.waitForStatus(created.id);
    expect(done.status).toBe("failed");
    expect(done.attempts.map((a) => `${a.round}:${a.channel}:${a.error_kind}`)).toEqual([
      "1:sms:permanent",
      "1:telegram:transient",
      "2:telegram:transient",
    ]);
    expect(smsRu.messages).toHaveLength(1);
  });

  it("fails at once, without waiting out its rounds, when every channel failed permanently", async () => {
    const user = await userWithEverything("allpermanent@example.com");
    telegram.replyNext(telegramReplies.chatNotFound());
    smtp.rejectNextRecipient(550, "5.1.1 Mailbox unavailable");
    const created = await service.createNotification({
      user: user.id,
      message: "m",
      channels: ["telegram", "email"],
    });
    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "failed", retry_count: 0 });
    expect(done.attempts.map((a) => [a.channel, a.error_kind, a.provider_code])).toEqual([
      ["telegram", "permanent", "400"],
      ["email", "permanent", "550"],
    ]);
    expect(done.failure_reason).toMatch(/failed permanently/);
  });

  it("waits at least as long as Telegram's retry_after before the next round", async () => {
    const user = await userWithEverything("ratelimited@example.com");
    telegram.replyNext(telegramReplies.tooManyRequests(2));
    const created = await service.createNotification({ user: user.id, message: "m", channels: ["telegram"] });
    const pending = await waitFor("the retry to be scheduled", async () => {
      const notification = await service.getNotification(created.id);
      return notification.retry_count === 1 ? notification : undefined;
    });
    expect(pending.attempts[0]).toMatchObject({ error_kind: "rate_limited", provider_code: "429" });
    const done = await service.waitForStatus(created.id, "sent");
    expect(done.retry_count).toBe(1);
    const [first, second] = telegram.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1900);
  });

  it("counts a provider that does not answer within PROVIDER_TIMEOUT_SECONDS as a transient failure", async () => {
    const user = await userWithEverything("timeout@example.com");
    smsRu.replyNext({ hangMs: 5_000 });
    const created = await service.createNotification({
      user: user.id,
      message: "m",
      channels: ["sms", "email"],
    });
    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "sent", last_channel: "email" });
    expect(done.attempts[0]).toMatchObject({
      channel: "sms",
      status: "failed",
      error_kind: "transient",
      provider_code: "timeout",
    });
    expect(done.attempts[0]?.error).toMatch(/timed out|did not answer/);
  });

  it("pauses a misconfigured channel for every notification, logs it once, and probes it after the cool-down", async () => {
    const user = await userWithEverything("circuit@example.com");
    smsRu.replyNext(smsRuReplies.requestError(200)); // wrong api_id
    const first = await service.createNotification({
      user: user.id,
      message: "one",
      channels: ["sms", "email"],
    });
    const firstDone = await service.waitForStatus(first.id);
    expect(firstDone.attempts.map((a) => [a.channel, a.status, a.error_kind])).toEqual([
      ["sms", "failed", "misconfigured"],
      ["email", "sent", null],
    ]);

    const second = await service.createNotification({
      user: user.id,
      message: "two",
      channels: ["sms", "email"],
    });
    const third = await service.createNotification({
      user: user.id,
      message: "three",
      channels: ["sms", "email"],
    });
    for (const id of [second.id, third.id]) {
      const done = await service.waitForStatus(id);
      expect(done.attempts[0]).toMatchObject({
        channel: "sms",
        status: "skipped",
        error_kind: "circuit_open",
      });
      expect(done.attempts[0]?.error).toMatch(/api_id/);
      expect(done).toMatchObject({ status: "sent", last_channel: "email" });
    }
    expect(smsRu.messages).toHaveLength(1);
    expect(logs.lines.filter((line) => line.message.includes("channel paused"))).toHaveLength(1);

    // After the cool-down the next attempt is the probe; SMS.ru answers well again.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const fourth = await service.createNotification({
      user: user.id,
      message: "four",
      channels: ["sms", "email"],
    });
    const fourthDone = await service.waitForStatus(fourth.id);
    expect(fourthDone).toMatchObject({ status: "sent", last_channel: "sms" });
    expect(smsRu.messages).toHaveLength(2);
  });
});
