import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SMS_RU_UNDELIVERED_CODES } from "../../src/channels/sms-ru/sms-ru-receipt-codes.js";
import { startWorker } from "../../src/entry/worker/worker-process.js";
import { smsRuReplies } from "../support/fake-sms-ru.js";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { type NotificationJson, startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

const PHONE = "79990001122";

interface AttemptJson {
  channel: string;
  status: string;
  round: number;
  delivery: string | null;
  delivered_at: string | null;
  receipt_code: string | null;
  receipt_text: string | null;
  receipts: { at: string; state: string; code: string | null; text: string | null }[];
}

const attemptsOf = (notification: NotificationJson) => notification.attempts as unknown as AttemptJson[];

/** Waits until the notification's attempt on `channel` has left `accepted` (or reached `delivery`). */
async function waitForDelivery(
  service: TestService,
  id: number,
  channel: string,
  delivery: string,
  timeoutMs = 15_000,
): Promise<NotificationJson> {
  return waitFor(
    `notification ${id}'s ${channel} attempt to be ${delivery}`,
    async () => {
      const notification = await service.getNotification(id);
      return attemptsOf(notification).some((a) => a.channel === channel && a.delivery === delivery)
        ? notification
        : undefined;
    },
    timeoutMs,
  );
}

describe("delivery receipts, without a receipt deadline", () => {
  let providers: LoopbackProviders;
  let service: TestService;
  let userId: number;

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    service = await startTestService({
      env: providers.env({
        SMS_RU_API_ID: "receipts-api-id-secret",
        SMS_RECEIPT_POLL_SECONDS: "0.1",
        SMS_RECEIPT_POLL_MAX_SECONDS: "0.3",
        SMS_RECEIPT_MAX_AGE_SECONDS: "3",
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: "0",
      }),
    });
    userId = (
      await service.createUser({
        email: "receipts@example.com",
        password: "long enough password",
        phone_number: `+${PHONE}`,
        telegram_id: "424242",
      })
    ).id;
  });
  afterAll(async () => {
    await service?.close();
    await providers?.close();
  });
  beforeEach(() => providers.reset());

  it("records a delivered SMS with its time, code and text; the notification is sent and says delivered", async () => {
    const { smsRu } = providers;
    smsRu.replyNext(smsRuReplies.sent(PHONE, "201-delivered"));
    smsRu.setReceipt("201-delivered", 103);
    const created = await service.createNotification({ user: userId, message: "hello", channels: ["sms"] });

    const done = await waitForDelivery(service, created.id, "sms", "delivered");
    expect(done).toMatchObject({ status: "sent", last_channel: "sms", delivery: "delivered" });
    expect(done.delivered_at).toEqual(expect.any(String));
    const [attempt] = attemptsOf(done);
    expect(attempt).toMatchObject({
      status: "sent",
      delivery: "delivered",
      receipt_code: "103",
      receipt_text: "Сообщение доставлено",
    });
    expect(attempt?.receipts.map((receipt) => [receipt.state, receipt.code])).toEqual([["delivered", "103"]]);
    // SMS.ru was asked the documented way: POST with api_id in the body, never in the URL.
    const asked = smsRu.statusRequests.find((request) => request.fields.sms_id?.includes("201-delivered"));
    expect(asked).toMatchObject({
      method: "POST",
      query: "",
      fields: { api_id: "receipts-api-id-secret", json: "1" },
    });
  });

  it("records each of SMS.ru's not-delivered codes as undelivered, and the notification stays sent", async () => {
    const { smsRu } = providers;
    const created: { id: number; code: number }[] = [];
    for (const code of SMS_RU_UNDELIVERED_CODES) {
      const smsId = `202-undelivered-${code}`;
      smsRu.replyNext(smsRuReplies.sent(PHONE, smsId));
      smsRu.setReceipt(smsId, code);
      const notification = await service.createNotification({
        user: userId,
        message: `code ${code}`,
        channels: ["sms"],
      });
      created.push({ id: notification.id, code });
      await service.waitForStatus(notification.id);
    }
    for (const { id, code } of created) {
      const done = await waitForDelivery(service, id, "sms", "undelivered");
      expect(done).toMatchObject({ status: "sent", delivery: "undelivered", delivered_at: null });
      expect(attemptsOf(done)[0]).toMatchObject({ receipt_code: String(code), delivered_at: null });
      expect(attemptsOf(done)[0]?.receipt_text).toMatch(/^Не может быть доставлено/);
    }
  });

  it("gives up after SMS_RECEIPT_MAX_AGE_SECONDS without a final receipt: unknown, with the in-transit reports kept", async () => {
    const { smsRu } = providers;
    smsRu.replyNext(smsRuReplies.sent(PHONE, "203-silent"));
    const created = await service.createNotification({ user: userId, message: "silence", channels: ["sms"] });

    const done = await waitForDelivery(service, created.id, "sms", "unknown");
    expect(done).toMatchObject({ status: "sent", delivery: "unknown" });
    const [attempt] = attemptsOf(done);
    expect(attempt?.receipts.map((receipt) => [receipt.state, receipt.code])).toEqual([
      ["in_transit", "102"],
    ]);
    const checks = smsRu.statusRequests.filter((request) => request.fields.sms_id?.includes("203-silent"));
    expect(checks.length).toBeGreaterThan(1);
    // No check after giving up.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(
      smsRu.statusRequests.filter((request) => request.fields.sms_id?.includes("203-silent")),
    ).toHaveLength(checks.length);
  });

  it("records Telegram as delivered at once, and email as accepted only (no receipts)", async () => {
    const telegram = await service.createNotification({
      user: userId,
      message: "tg",
      channels: ["telegram"],
    });
    const email = await service.createNotification({ user: userId, message: "mail", channels: ["email"] });
    const tgDone = await service.waitForStatus(telegram.id);
    const emailDone = await service.waitForStatus(email.id);
    expect(tgDone).toMatchObject({ status: "sent", delivery: "delivered" });
    expect(attemptsOf(tgDone)[0]?.delivered_at).toEqual(expect.any(String));
    expect(emailDone).toMatchObject({ status: "sent", delivery: "accepted", delivered_at: null });
    expect(providers.smtp.mails).toHaveLength(1);
  });

  it("tells webhook subscribers notification.delivered and notification.undelivered", async () => {
    const { smsRu } = providers;
    const endpoint = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: {
        url: "http://127.0.0.1:9/hook",
        events: ["notification.delivered", "notification.undelivered"],
      },
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
    smsRu.replyNext(smsRuReplies.sent(PHONE, "205-delivered"), smsRuReplies.sent(PHONE, "205-undelivered"));
    smsRu.setReceipt("205-delivered", 103);
    smsRu.setReceipt("205-undelivered", 106);
    const delivered = await service.createNotification({ user: userId, message: "d", channels: ["sms"] });
    await service.waitForStatus(delivered.id);
    const undelivered = await service.createNotification({ user: userId, message: "u", channels: ["sms"] });

    const eventsOf = (id: number) =>
      waitFor(`a receipt event of notification ${id}`, async () => {
        const { rows } = await service.core.pool.query<{
          type: string;
          payload: { data: { attempt?: unknown } };
        }>("SELECT type, payload FROM webhook_events WHERE notification_id = $1", [id]);
        return rows.length > 0 ? rows : undefined;
      });
    const [deliveredEvent] = await eventsOf(delivered.id);
    const [undeliveredEvent] = await eventsOf(undelivered.id);
    expect(deliveredEvent?.type).toBe("notification.delivered");
    expect(deliveredEvent?.payload.data.attempt).toMatchObject({ channel: "sms", delivery: "delivered" });
    expect(undeliveredEvent?.type).toBe("notification.undelivered");
    expect(undeliveredEvent?.payload.data.attempt).toMatchObject({
      delivery: "undelivered",
      receipt_code: "106",
    });
  });

  it("has one worker of the deployment ask, each message once, many per sms/status call", async () => {
    const { smsRu } = providers;
    const count = 30;
    // The fake gives out 000000-00000001, -00000002, ... after a reset: delivered from the start.
    const ids = Array.from({ length: count }, (_, i) => `000000-${String(i + 1).padStart(8, "0")}`);
    for (const id of ids) smsRu.setReceipt(id, 103);
    const second = startWorker(service.core);
    try {
      const created = await Promise.all(
        ids.map((_, i) =>
          service.createNotification({ user: userId, message: `many ${i}`, channels: ["sms"] }),
        ),
      );
      for (const notification of created) await waitForDelivery(service, notification.id, "sms", "delivered");
      const asked = smsRu.statusRequests.flatMap((request) => (request.fields.sms_id ?? "").split(","));
      expect(asked.toSorted()).toEqual(ids);
      expect(smsRu.statusRequests.length).toBeLessThan(count);
    } finally {
      await second.stop();
    }
  });
});

describe("falling back on a missing receipt (SMS_RECEIPT_TIMEOUT_SECONDS)", () => {
  let providers: LoopbackProviders;
  let service: TestService;
  let userId: number;

  beforeAll(async () => {
    providers = await LoopbackProviders.start({ user: "mailer@example.com", password: "smtp-secret-pw" });
    service = await startTestService({
      env: providers.env({
        SMS_RECEIPT_POLL_SECONDS: "0.1",
        SMS_RECEIPT_POLL_MAX_SECONDS: "0.2",
        // Long enough that the test sees the SMS held on a loaded machine before it passes.
        SMS_RECEIPT_TIMEOUT_SECONDS: "5",
        SMS_RECEIPT_MAX_AGE_SECONDS: "60",
        EMAIL_HOST_USER: "mailer@example.com",
        EMAIL_HOST_PASSWORD: "smtp-secret-pw",
      }),
    });
    userId = (
      await service.createUser({
        email: "fallback-receipts@example.com",
        password: "long enough password",
        phone_number: `+${PHONE}`,
      })
    ).id;
  });
  afterAll(async () => {
    await service?.close();
    await providers?.close();
  });
  beforeEach(() => providers.reset());

  const create = () =>
    service.createNotification({
      user: userId,
      message: "Your code is 1234",
      subject: "Code",
      channels: ["sms", "email"],
    });

  it("holds the notification pending while the SMS waits, and ends it sent via SMS once delivered", async () => {
    const { smsRu } = providers;
    smsRu.replyNext(smsRuReplies.sent(PHONE, "301-held"));
    const created = await create();
    const held = await waitFor("the SMS to be accepted", async () => {
      const notification = await service.getNotification(created.id);
      return attemptsOf(notification)[0]?.delivery === "accepted" ? notification : undefined;
    });
    expect(held).toMatchObject({ status: "pending", delivery: "accepted" });
    expect(held.next_attempt_at).toEqual(expect.any(String));

    smsRu.setReceipt("301-held", 103);
    const done = await service.waitForStatus(created.id, "sent");
    expect(done).toMatchObject({ last_channel: "sms", delivery: "delivered", retry_count: 0 });
    expect(attemptsOf(done).map((a) => [a.channel, a.status, a.delivery])).toEqual([
      ["sms", "sent", "delivered"],
    ]);
    expect(providers.smtp.mails).toHaveLength(0);
  });

  it("goes on to email through the real SMTP server when SMS.ru says the SMS was not delivered", async () => {
    const { smsRu, smtp } = providers;
    smsRu.replyNext(smsRuReplies.sent(PHONE, "302-rejected"));
    smsRu.setReceipt("302-rejected", 108);
    const created = await create();

    const done = await service.waitForStatus(created.id, "sent");
    expect(done).toMatchObject({ last_channel: "email", retry_count: 0, delivery: "accepted" });
    expect(attemptsOf(done).map((a) => [a.channel, a.round, a.status, a.delivery])).toEqual([
      ["sms", 1, "sent", "undelivered"],
      ["email", 1, "sent", "accepted"],
    ]);
    expect(attemptsOf(done)[0]?.receipt_code).toBe("108");
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ rcptTo: ["fallback-receipts@example.com"], subject: "Code" });
    expect(smsRu.messages).toHaveLength(1);
  });

  it("goes on to email when no final receipt comes before the deadline, and a late delivered changes nothing else", async () => {
    const { smsRu, smtp } = providers;
    smsRu.replyNext(smsRuReplies.sent(PHONE, "303-late"));
    const created = await create();

    const fellBack = await service.waitForStatus(created.id, "sent");
    expect(fellBack).toMatchObject({ last_channel: "email", delivery: "accepted" });
    expect(attemptsOf(fellBack).map((a) => [a.channel, a.round, a.delivery])).toEqual([
      ["sms", 1, "accepted"],
      ["email", 1, "accepted"],
    ]);
    expect(smtp.mails).toHaveLength(1);
    // The SMS is still asked about after the fallback: its late receipt is recorded.
    smsRu.setReceipt("303-late", 103);
    const late = await waitForDelivery(service, created.id, "sms", "delivered");
    expect(late).toMatchObject({ status: "sent", last_channel: "email", sent_at: fellBack.sent_at });
    expect(late.delivery).toBe("accepted");
    expect(attemptsOf(late)).toHaveLength(2);
    // Give a wrongly woken worker the time to act, then check no third send happened.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await service.getNotification(created.id);
    expect(attemptsOf(after)).toHaveLength(2);
    expect(smsRu.messages).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
  });

  it("lets an accepted SMS stand when the notification expires while it waits: sent, not expired, no fallback", async () => {
    const { smsRu, smtp } = providers;
    smsRu.replyNext(smsRuReplies.sent(PHONE, "304-expiring"));
    const created = await service.createNotification({
      user: userId,
      message: "Your code is 5678",
      channels: ["sms", "email"],
      ttl_seconds: 1,
    });

    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "sent", last_channel: "sms", delivery: "accepted" });
    expect(attemptsOf(done).map((a) => a.channel)).toEqual(["sms"]);
    expect(smtp.mails).toHaveLength(0);
  });
});

describe("with SMS_RECEIPTS=false", () => {
  let providers: LoopbackProviders;
  let service: TestService;

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    service = await startTestService({
      env: providers.env({ SMS_RECEIPTS: "false", SMS_RECEIPT_POLL_SECONDS: "0.1" }),
    });
  });
  afterAll(async () => {
    await service?.close();
    await providers?.close();
  });

  it("never asks SMS.ru: an accepted SMS stays accepted, like an email", async () => {
    const { id: user } = await service.createUser({
      email: "no-receipts@example.com",
      password: "long enough password",
      phone_number: `+${PHONE}`,
    });
    const created = await service.createNotification({ user, message: "no receipts", channels: ["sms"] });
    const sent = await waitFor(
      "the SMS to be sent",
      async () => {
        const notification = await service.getNotification(created.id);
        return notification.status === "sent" ? notification : undefined;
      },
      10_000,
    );
    expect(attemptsOf(sent)).toMatchObject([{ channel: "sms", status: "sent", delivery: "accepted" }]);
    // Five times the first check's wait, and still nobody asked.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(providers.smsRu.statusRequests).toEqual([]);
    expect(attemptsOf(await service.getNotification(created.id))[0]?.delivery).toBe("accepted");
  });
});
