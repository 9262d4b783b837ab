import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeSmsRu, smsRuReplies } from "../support/fake-sms-ru.js";
import { FakeTelegram, telegramReplies } from "../support/fake-telegram.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

const PHONE = "79990001122";

describe("retrying and cancelling a notification by hand", () => {
  let smsRu: FakeSmsRu;
  let telegram: FakeTelegram;
  let service: TestService;
  let userId: number;
  let nextChatId = 700_000;

  beforeAll(async () => {
    [smsRu, telegram] = await Promise.all([FakeSmsRu.start(), FakeTelegram.start()]);
    service = await startTestService({
      env: {
        SMS_RU_API_URL: smsRu.url,
        SMS_RU_API_ID: "api-id-secret",
        TELEGRAM_API_URL: telegram.url,
        TELEGRAM_BOT_TOKEN: "123456:TEST-token_abc",
        MAX_RETRIES: "1",
      },
    });
    userId = (
      await service.createUser({ email: "ops@example.com", password: "long enough", phone_number: PHONE })
    ).id;
  });
  afterAll(async () => {
    await service?.close();
    await Promise.all([smsRu?.close(), telegram?.close()]);
  });
  beforeEach(() => {
    smsRu.reset();
    telegram.reset();
  });

  const post = (id: number, action: "retry" | "cancel") =>
    service.inject({ method: "POST", url: `/api/notifications/${id}/${action}/` });
  const send = async (body: Record<string, unknown>) =>
    (await service.createNotification({ user: userId, message: "hello", channels: ["sms"], ...body })).id;
  /** A user of their own, so Telegram's per-chat pacing never slows one test down for another. */
  const telegramUser = async () =>
    (
      await service.createUser({
        email: `tg${nextChatId}@example.com`,
        password: "long enough",
        phone_number: PHONE,
        telegram_id: String(nextChatId++),
      })
    ).id;
  /** Waits until the worker's provider call has begun. */
  const callStarted = (fake: { requests: unknown[] }, count = 1) =>
    waitFor("the provider call", () => (fake.requests.length >= count ? true : undefined));
  const attemptsSettled = (id: number) =>
    waitFor(`the attempts of ${id} to finish`, async () => {
      const notification = await service.getNotification(id);
      return notification.attempts.length > 0 &&
        notification.attempts.every((a) => a.status !== "in_progress")
        ? notification
        : undefined;
    });

  it("answers 409 with the reason when the state does not allow it, and 404 for an unknown id", async () => {
    const sent = await send({});
    await service.waitForStatus(sent, "sent");
    for (const action of ["retry", "cancel"] as const) {
      const response = await post(sent, action);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({ detail: expect.stringMatching(/already sent/) });
    }

    smsRu.replyNext(smsRuReplies.numberError(PHONE, 209));
    const failed = await send({});
    await service.waitForStatus(failed, "failed");
    expect((await post(failed, "cancel")).json()).toEqual({
      detail: `Notification ${failed} cannot be cancelled: it has already failed; retry it instead.`,
    });

    smsRu.replyNext({ hangMs: 2_000 });
    const pending = await send({});
    const retryPending = await post(pending, "retry");
    expect(retryPending.statusCode).toBe(409);
    expect(retryPending.json().detail).toMatch(/pending/);
    expect((await post(pending, "cancel")).statusCode).toBe(200);
    const again = await post(pending, "cancel");
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/already cancelled/);

    for (const action of ["retry", "cancel"] as const) {
      const response = await post(999_999, action);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: "Notification 999999 not found." });
    }
  });

  it("gives a channel that failed permanently a fresh chance: the retry reaches the provider again", async () => {
    // 209: the number is on our stop list at SMS.ru, taken off there before the retry. (A 202 or
    // 207 would suppress the number, and a retry would skip it until the suppression is removed.)
    smsRu.replyNext(smsRuReplies.numberError(PHONE, 209));
    const id = await send({ message: "second chance" });
    const failed = await service.waitForStatus(id, "failed");
    expect(failed.failure_reason).toMatch(/failed permanently/);

    const response = await post(id, "retry");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: "pending",
      retry_count: 1,
      history_from_round: 2,
      failure_reason: null,
    });
    expect(Date.parse(response.json().next_attempt_at)).toBeLessThanOrEqual(Date.now() + 1_000);

    const done = await service.waitForStatus(id, "sent");
    expect(done.attempts.map((a) => [a.round, a.channel, a.status, a.error_kind])).toEqual([
      [1, "sms", "failed", "permanent"],
      [2, "sms", "sent", null],
    ]);
    expect(smsRu.messages.map((request) => request.text)).toEqual(["second chance", "second chance"]);
  });

  it("gives a notification that used up MAX_RETRIES a whole new series of rounds", async () => {
    const serverError = { status: 502, raw: "Bad Gateway" };
    smsRu.replyNext(serverError, serverError);
    const id = await send({});
    expect(await service.waitForStatus(id, "failed")).toMatchObject({ retry_count: 1 });

    // Round 3 fails too, and MAX_RETRIES=1 still allows round 4: the count starts again at the retry.
    smsRu.replyNext(serverError);
    expect((await post(id, "retry")).json()).toMatchObject({ retry_count: 2, history_from_round: 3 });
    const done = await service.waitForStatus(id, "sent");
    expect(done.retry_count).toBe(3);
    expect(done.attempts.map((a) => `${a.round}:${a.status}`)).toEqual([
      "1:failed",
      "2:failed",
      "3:failed",
      "4:sent",
    ]);
    expect(smsRu.messages).toHaveLength(4);
  });

  it("cancels mid-round: the worker calls no other provider and cannot mark it sent or failed", async () => {
    // SMS answers slowly and then with an error: without the cancel, Telegram would be next. The
    // hang outlasts the cancel and the early retry below even on a loaded machine (1 s did not),
    // and stays under the tests' 3 s PROVIDER_TIMEOUT_SECONDS.
    // biome-ignore lint/suspicious/noThenProperty: the fake names the reply after a hang "then"
    smsRu.replyNext({ hangMs: 2_000, then: { status: 500, raw: "Internal Server Error" } });
    const id = await send({ channels: ["sms", "telegram"], user: await telegramUser() });
    await callStarted(smsRu);

    const cancelled = await post(id, "cancel");
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: "cancelled", next_attempt_at: null });
    // The cancelled round's call is still out: a retry now could deliver twice.
    const early = await post(id, "retry");
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/still waiting for its provider/);

    const settled = await attemptsSettled(id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await service.getNotification(id);
    expect(after).toMatchObject({ status: "cancelled", sent_at: null, failure_reason: null });
    expect(after.attempts.map((a) => `${a.channel}:${a.status}`)).toEqual(["sms:failed"]);
    expect(settled.attempts).toEqual(after.attempts);
    expect(telegram.requests).toHaveLength(0);

    // Once that call has ended, a retry starts round 2 afresh.
    expect((await post(id, "retry")).json()).toMatchObject({ status: "pending", history_from_round: 2 });
    const done = await service.waitForStatus(id, "sent");
    expect(done.attempts.map((a) => `${a.round}:${a.channel}:${a.status}`)).toEqual([
      "1:sms:failed",
      "2:sms:sent",
    ]);
  });

  it("refuses to retry a cancelled notification whose in-flight call was delivered after all", async () => {
    // Long enough that the cancel lands while the call is out, even on a loaded machine.
    smsRu.replyNext({ hangMs: 2_000 });
    const id = await send({});
    await callStarted(smsRu);
    expect((await post(id, "cancel")).statusCode).toBe(200);
    const settled = await attemptsSettled(id);
    expect(settled).toMatchObject({ status: "cancelled" });
    expect(settled.attempts.map((a) => a.status)).toEqual(["sent"]);

    const response = await post(id, "retry");
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toBe(
      `Notification ${id} cannot be retried: its sms attempt in round 1 was delivered before it was cancelled.`,
    );
  });

  it("cancels one waiting for its next round; a retry resumes that round at once", async () => {
    telegram.replyNext(telegramReplies.tooManyRequests(300));
    const id = await send({ channels: ["telegram"], user: await telegramUser() });
    const waiting = await waitFor("the second round to be scheduled", async () => {
      const notification = await service.getNotification(id);
      return notification.retry_count === 1 ? notification : undefined;
    });
    expect(Date.parse(waiting.next_attempt_at ?? "")).toBeGreaterThan(Date.now() + 250_000);

    expect((await post(id, "cancel")).json()).toMatchObject({ status: "cancelled", next_attempt_at: null });
    const resumed = (await post(id, "retry")).json();
    expect(resumed).toMatchObject({ status: "pending", retry_count: 1, history_from_round: 2 });

    // Not after the 300 s the provider asked for: the retry made it due now.
    const done = await service.waitForStatus(id, "sent", 10_000);
    expect(done.attempts.map((a) => `${a.round}:${a.status}`)).toEqual(["1:failed", "2:sent"]);
    expect(telegram.requests).toHaveLength(2);
  });
});
