/**
 * SMS.ru's delivery-status callback end to end: the real API and worker, PostgreSQL and Redis,
 * the loopback SMS.ru for the sends, the SMTP sink for a fallback, and a loopback receiver for
 * webhooks. Polling is set an hour out, so every receipt here came by callback.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { asFastifyLogger, captureLogs } from "../support/captured-logs.js";
import { smsRuReplies } from "../support/fake-sms-ru.js";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { type FakeReply, ScriptedHttpServer } from "../support/scripted-http-server.js";
import { type NotificationJson, startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

const PHONE = "79990003344";
const TOKEN = "cb-token-0123456789-abcdefghijklmnopqrstuvwxyz";

interface AttemptJson {
  channel: string;
  status: string;
  delivery: string | null;
  receipt_code: string | null;
  receipt_text: string | null;
  receipts: { state: string; code: string | null }[];
}

const attemptsOf = (notification: NotificationJson) => notification.attempts as unknown as AttemptJson[];

/** The form SMS.ru posts: data[N] = lines joined by "\n". */
const callbackBody = (...entries: string[][]) =>
  new URLSearchParams(
    entries.map((lines, index): [string, string] => [`data[${index}]`, lines.join("\n")]),
  ).toString();

const status = (smsId: string, code: number) => ["sms_status", smsId, String(code), "1764720000"];

describe("SMS.ru's status callback", () => {
  let providers: LoopbackProviders;
  let service: TestService;
  let hooks: ScriptedHttpServer;
  const hooked: {
    type: string;
    data: { notification: { id: number }; attempt?: Record<string, unknown> };
  }[] = [];
  const logs = captureLogs();
  let userId: number;

  beforeAll(async () => {
    providers = await LoopbackProviders.start({ user: "mailer@example.com", password: "smtp-secret-pw" });
    hooks = await ScriptedHttpServer.start((_req, body) => {
      hooked.push(JSON.parse(body));
      const ok: FakeReply = { status: 200, body: { ok: true } };
      return { reply: ok, fallback: () => ok };
    });
    service = await startTestService({
      logger: logs.logger,
      httpLogger: asFastifyLogger(logs.logger),
      env: providers.env({
        SMS_RU_CALLBACK_TOKEN: TOKEN,
        // No check comes within the test: every receipt is the callback's.
        SMS_RECEIPT_POLL_SECONDS: "3600",
        SMS_RECEIPT_POLL_MAX_SECONDS: "3600",
        // A deadline far enough out that only a receipt moves a held notification on.
        SMS_RECEIPT_TIMEOUT_SECONDS: "120",
        EMAIL_HOST_USER: "mailer@example.com",
        EMAIL_HOST_PASSWORD: "smtp-secret-pw",
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: "0",
      }),
    });
    userId = (
      await service.createUser({
        email: "callback@example.com",
        password: "long enough password",
        phone_number: `+${PHONE}`,
      })
    ).id;
    const endpoint = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: { url: `${hooks.url}/hook`, events: ["notification.delivered", "notification.undelivered"] },
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
  });
  afterAll(async () => {
    await service?.close();
    await hooks?.close();
    await providers?.close();
  });
  beforeEach(() => {
    providers.reset();
    hooked.length = 0;
  });

  /** SMS.ru posts: no API key, a form body. */
  const post = (body: string, token = TOKEN, contentType = "application/x-www-form-urlencoded") =>
    service.app.inject({
      method: "POST",
      url: `/callbacks/sms-ru/${token}`,
      headers: { "content-type": contentType },
      payload: body,
    });

  /** A notification whose SMS SMS.ru accepted as `smsId`, held for its receipt. */
  async function acceptedSms(smsId: string, channels = ["sms"]): Promise<number> {
    providers.smsRu.replyNext(smsRuReplies.sent(PHONE, smsId));
    const created = await service.createNotification({
      user: userId,
      message: `about ${smsId}`,
      subject: "Code",
      channels,
    });
    await waitFor(`${smsId} to be accepted`, async () => {
      const notification = await service.getNotification(created.id);
      return attemptsOf(notification)[0]?.delivery === "accepted" ? true : undefined;
    });
    return created.id;
  }

  const attemptRow = async (smsId: string) =>
    (
      await service.core.pool.query<{
        delivery: string;
        receipt_check_at: Date | null;
        receipt_checks: number;
        receipt_log: unknown;
      }>(
        "SELECT delivery, receipt_check_at, receipt_checks, receipt_log FROM attempts WHERE provider_message_id = $1",
        [smsId],
      )
    ).rows[0];

  it("records a delivered status (103) with code and text: the notification ends sent, delivered, and webhook subscribers hear it", async () => {
    const id = await acceptedSms("cb-delivered");

    const answer = await post(callbackBody(status("cb-delivered", 103)));
    expect(answer.statusCode).toBe(200);
    expect(answer.headers["content-type"]).toMatch(/^text\/plain/);
    expect(answer.body).toBe("100");

    const done = await service.waitForStatus(id, "sent");
    expect(done).toMatchObject({ last_channel: "sms", delivery: "delivered" });
    expect(attemptsOf(done)[0]).toMatchObject({
      delivery: "delivered",
      receipt_code: "103",
      receipt_text: "Сообщение доставлено",
    });
    expect(attemptsOf(done)[0]?.receipts.map((receipt) => [receipt.state, receipt.code])).toEqual([
      ["delivered", "103"],
    ]);
    const [event] = await waitFor("the notification.delivered webhook", async () =>
      hooked.length > 0 ? hooked : undefined,
    );
    expect(event).toMatchObject({ type: "notification.delivered", data: { notification: { id } } });
    expect(event?.data.attempt).toMatchObject({ channel: "sms", delivery: "delivered", receipt_code: "103" });
    // Nobody polled: the callback alone recorded it.
    expect(providers.smsRu.statusRequests).toEqual([]);
  });

  it("takes several entries in one POST, and skips event types that are not delivery statuses", async () => {
    const delivered = await acceptedSms("cb-many-1");
    const undelivered = await acceptedSms("cb-many-2", ["sms", "email"]);

    const answer = await post(
      callbackBody(status("cb-many-1", 103), ["callback_check", "1764720000"], status("cb-many-2", 107)),
    );
    expect(answer.body).toBe("100");

    const first = await service.waitForStatus(delivered, "sent");
    expect(attemptsOf(first)[0]).toMatchObject({ delivery: "delivered", receipt_code: "103" });
    const second = await service.waitForStatus(undelivered, "sent");
    expect(second.last_channel).toBe("email");
    expect(attemptsOf(second)[0]).toMatchObject({
      delivery: "undelivered",
      receipt_code: "107",
      receipt_text: "Не может быть доставлено: неизвестная причина",
    });
  });

  it("goes on to email through the real SMTP server when the callback says the SMS was not delivered", async () => {
    const id = await acceptedSms("cb-rejected", ["sms", "email"]);
    const held = await service.getNotification(id);
    expect(held.status).toBe("pending");

    expect((await post(callbackBody(status("cb-rejected", 108)))).body).toBe("100");

    const done = await service.waitForStatus(id, "sent");
    expect(done).toMatchObject({ last_channel: "email", retry_count: 0 });
    expect(attemptsOf(done).map((a) => [a.channel, a.status, a.delivery])).toEqual([
      ["sms", "sent", "undelivered"],
      ["email", "sent", "accepted"],
    ]);
    expect(providers.smtp.mails).toHaveLength(1);
    expect(providers.smtp.mails[0]).toMatchObject({ rcptTo: ["callback@example.com"], subject: "Code" });
  });

  it("records an in-transit status in the timeline, keeps the SMS accepted and leaves the next check as planned", async () => {
    const id = await acceptedSms("cb-in-transit");
    const before = await attemptRow("cb-in-transit");
    expect(before?.receipt_check_at).toBeInstanceOf(Date);

    expect((await post(callbackBody(status("cb-in-transit", 102)))).body).toBe("100");

    const after = await attemptRow("cb-in-transit");
    expect(after).toMatchObject({ delivery: "accepted", receipt_checks: 0 });
    expect(after?.receipt_check_at?.getTime()).toBe(before?.receipt_check_at?.getTime());
    const notification = await service.getNotification(id);
    expect(notification.status).toBe("pending");
    expect(attemptsOf(notification)[0]?.receipts.map((receipt) => [receipt.state, receipt.code])).toEqual([
      ["in_transit", "102"],
    ]);
    // A final status that came first is never overwritten by a later in-transit one.
    await post(callbackBody(status("cb-in-transit", 103)));
    await service.waitForStatus(id, "sent");
    expect((await post(callbackBody(status("cb-in-transit", 102)))).body).toBe("100");
    expect((await attemptRow("cb-in-transit"))?.delivery).toBe("delivered");
  });

  it("ignores an sms_id no accepted attempt has, logs a warning naming it, and still answers 100", async () => {
    const answer = await post(callbackBody(status("cb-never-sent", 103)));
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toBe("100");
    const warning = logs.lines.find(
      (line) => line.level === "warn" && JSON.stringify(line.fields).includes("cb-never-sent"),
    );
    expect(warning?.fields).toMatchObject({ channel: "sms", ids: ["cb-never-sent"], count: 1 });
    const { rows } = await service.core.pool.query(
      "SELECT 1 FROM attempts WHERE provider_message_id = 'cb-never-sent'",
    );
    expect(rows).toEqual([]);
  });

  it("answers a wrong token as an unknown path, before reading the body, and records nothing", async () => {
    const id = await acceptedSms("cb-wrong-token");
    const unknownPath = await service.app.inject({ method: "POST", url: "/no/such/path" });
    for (const answer of [
      await post(callbackBody(status("cb-wrong-token", 103)), `${TOKEN.slice(0, -1)}x`),
      await post(callbackBody(status("cb-wrong-token", 103)), "short"),
      // Not even the body's type is looked at.
      await post("{}", "wrong-token", "application/json"),
    ]) {
      expect(answer.statusCode).toBe(404);
      expect(answer.json()).toEqual(unknownPath.json());
    }
    // Another method says nothing of the path either until the token is right; then it is a 405.
    for (const method of ["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"] as const) {
      const wrong = await service.app.inject({ method, url: "/callbacks/sms-ru/wrong-token" });
      const unknown = await service.app.inject({ method, url: "/no/such/path" });
      expect(wrong.statusCode, method).toBe(404);
      expect(wrong.body, method).toBe(unknown.body);
      expect(wrong.headers.allow, method).toBeUndefined();
    }
    for (const method of ["GET", "PUT", "DELETE"] as const) {
      const right = await service.app.inject({
        method,
        url: `/callbacks/sms-ru/${TOKEN}`,
        headers: { "content-type": "application/json" },
        payload: method === "PUT" ? "{}" : undefined,
      });
      expect(right.statusCode, method).toBe(405);
      expect(right.headers.allow).toBe("POST");
      expect(right.json()).toEqual({ detail: `Method "${method}" not allowed.` });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await attemptRow("cb-wrong-token")).toMatchObject({ delivery: "accepted", receipt_log: null });
    expect((await service.getNotification(id)).status).toBe("pending");
  });

  it("refuses a body that is not a callback with a 400 JSON error, and records nothing", async () => {
    const id = await acceptedSms("cb-not-a-callback");
    const notACallback = await post("hello=world");
    expect(notACallback.statusCode).toBe(400);
    expect(notACallback.json().detail).toMatch(/not an SMS\.ru callback/i);

    // An empty POST (no body, no content type) and an empty form are told what a callback holds,
    // in the {"detail": ...} every body-level problem gets.
    for (const empty of [
      await service.app.inject({ method: "POST", url: `/callbacks/sms-ru/${TOKEN}` }),
      await post(""),
    ]) {
      expect(empty.statusCode).toBe(400);
      expect(empty.headers["content-type"]).toMatch(/^application\/json/);
      expect(empty.json()).toEqual({
        detail: expect.stringMatching(
          /^Not an SMS\.ru callback: the body must be a form \(application\/x-www-form-urlencoded\) of fields data\[0\], data\[1\], \.\.\., .*sms_status.*sms_id.*status code\.$/,
        ),
      });
    }
    expect(await attemptRow("cb-not-a-callback")).toMatchObject({ delivery: "accepted", receipt_log: null });
    expect((await service.getNotification(id)).status).toBe("pending");

    const tooMany = await post(
      callbackBody(...Array.from({ length: 1001 }, (_, i) => status(`cb-flood-${i}`, 103))),
    );
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().detail).toMatch(/at most 1000/);

    const tooLarge = await post(`data[0]=${"x".repeat(200 * 1024)}`);
    expect(tooLarge.statusCode).toBe(413);

    const json = await post(JSON.stringify({ "data[0]": "sms_status\nx\n103" }), TOKEN, "application/json");
    expect(json.statusCode).toBe(415);
    expect(json.json()).toHaveProperty("detail");
  });

  it("needs no API key and is not rate limited as the API is", async () => {
    // The API's rate limit counts /api/ only; an API key is never asked for.
    const answer = await post(callbackBody(["callback_check", "1764720000"]));
    expect(answer.statusCode).toBe(200);
    expect(answer.headers["x-ratelimit-limit"]).toBeUndefined();
  });

  it("never writes the token to a log line", () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain(TOKEN);
  });
});

describe("without SMS_RU_CALLBACK_TOKEN", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ env: { SMS_RU_API_ID: "callback-less" }, worker: false });
  });
  afterAll(() => service?.close());

  it("has no callback endpoint: any token answers 404", async () => {
    const answer = await service.app.inject({
      method: "POST",
      url: `/callbacks/sms-ru/${TOKEN}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: callbackBody(status("000000-00000001", 103)),
    });
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toEqual({ detail: "Not found." });
    // Nor with another method: no 405 tells that the path exists.
    for (const method of ["GET", "PUT", "DELETE"] as const) {
      const other = await service.app.inject({ method, url: `/callbacks/sms-ru/${TOKEN}` });
      expect(other.statusCode, method).toBe(404);
      expect(other.headers.allow, method).toBeUndefined();
    }
  });
});
