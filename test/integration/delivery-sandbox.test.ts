import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { FakeSmsRu } from "../support/fake-sms-ru.js";
import { startTestService, type TestService } from "../support/test-service.js";

describe("when the delivery sandbox is on", () => {
  it("is on by default outside production while no channel has credentials", () => {
    expect(parseConfig({}).deliverySandbox).toBe(true);
    expect(parseConfig({ NODE_ENV: "test" }).deliverySandbox).toBe(true);
    expect(parseConfig({ SMS_RU_API_ID: "an-api-id" }).deliverySandbox).toBe(false);
    expect(parseConfig({ TELEGRAM_BOT_TOKEN: "1:abc" }).deliverySandbox).toBe(false);
    expect(parseConfig({ DELIVERY_SANDBOX: "false" }).deliverySandbox).toBe(false);
  });

  it("is never on in production unless set explicitly", () => {
    const production = { NODE_ENV: "production", DATABASE_URL: "postgresql://db/notifications" };
    expect(parseConfig(production).deliverySandbox).toBe(false);
    expect(parseConfig({ ...production, DELIVERY_SANDBOX: "true" }).deliverySandbox).toBe(true);
    expect(() => parseConfig({ DELIVERY_SANDBOX: "maybe" })).toThrow(
      /DELIVERY_SANDBOX must be true or false/,
    );
  });
});

describe("delivery into the sandbox outbox", () => {
  let smsRu: FakeSmsRu;
  let service: TestService;

  beforeAll(async () => {
    smsRu = await FakeSmsRu.start();
    // Credentials are set on purpose: with the sandbox on, the real provider must not be called.
    service = await startTestService({
      env: { DELIVERY_SANDBOX: "true", SMS_RU_API_URL: smsRu.url, SMS_RU_API_ID: "sandboxed-api-id" },
    });
  });
  afterAll(async () => {
    await service?.close();
    await smsRu?.close();
  });
  beforeEach(() => smsRu.reset());

  const outboxRows = async (notificationId: number) =>
    (
      await service.core.pool.query(
        "SELECT id, channel, to_address, subject, text FROM outbox WHERE notification_id = $1 ORDER BY id",
        [notificationId],
      )
    ).rows;

  it("writes the message to the outbox and records a sent attempt naming the outbox row", async () => {
    const user = await service.createUser({
      email: "sandbox@example.com",
      password: "correct horse battery",
      phone_number: "+7 999 000-11-22",
    });
    const created = await service.createNotification({ user: user.id, message: "Your code is 1234" });

    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "sent", last_channel: "sms", retry_count: 0 });
    const rows = await outboxRows(created.id);
    expect(rows).toEqual([
      {
        id: expect.any(Number),
        channel: "sms",
        to_address: "+79990001122",
        subject: null,
        text: "Your code is 1234",
      },
    ]);
    expect(done.attempts).toHaveLength(1);
    expect(done.attempts[0]).toMatchObject({
      channel: "sms",
      status: "sent",
      round: 1,
      error: null,
      provider_message_id: `sandbox-${rows[0].id}`,
    });
    expect(smsRu.messages).toHaveLength(0);
  });

  it("still skips a channel the user has no contact on, and sends email with its subject", async () => {
    const user = await service.createUser({
      email: "nophone@example.com",
      password: "correct horse battery",
    });
    const created = await service.createNotification({
      user: user.id,
      message: "hello",
      subject: "Greetings",
    });

    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "sent", last_channel: "email" });
    expect(done.attempts.map((a) => [a.channel, a.status, a.error_kind])).toEqual([
      ["sms", "skipped", "no_contact"],
      ["email", "sent", null],
    ]);
    expect(await outboxRows(created.id)).toMatchObject([
      { channel: "email", to_address: "nophone@example.com", subject: "Greetings", text: "hello" },
    ]);
  });

  it("says on the channel overview where an unconfigured channel's messages go", async () => {
    const response = await service.inject({ method: "GET", url: "/api/channels/overview/" });
    const email = (
      response.json() as { channels: { channel: string; not_configured_reason: string | null }[] }
    ).channels.find((channel) => channel.channel === "email");
    expect(email?.not_configured_reason).toBe(
      "email is not configured (EMAIL_HOST is not set); the delivery sandbox takes its messages into the outbox instead (GET /api/outbox/)",
    );
  });

  it("lists the outbox newest first, filtered by channel and notification, paginated", async () => {
    const user = await service.createUser({
      email: "lister@example.com",
      password: "correct horse battery",
      phone_number: "+79990001133",
      telegram_id: "42",
    });
    const ids: number[] = [];
    for (const channels of [["telegram"], ["email"], ["sms"]]) {
      const created = await service.createNotification({
        user: user.id,
        message: `via ${channels[0]}`,
        channels,
      });
      await service.waitForStatus(created.id, "sent");
      ids.push(created.id);
    }

    const all = await service.inject({ method: "GET", url: "/api/outbox/?page_size=2" });
    expect(all.statusCode).toBe(200);
    const page = all.json();
    const total = (await service.core.pool.query("SELECT count(*)::int AS n FROM outbox")).rows[0].n;
    expect(page.count).toBe(total);
    expect(page.results).toHaveLength(2);
    expect(page.results[0]).toMatchObject({
      notification: ids[2],
      channel: "sms",
      to: "+79990001133",
      text: "via sms",
    });
    expect(page.results[0].id).toBeGreaterThan(page.results[1].id);
    expect(Object.keys(page.results[0]).sort()).toEqual(
      ["channel", "created_at", "id", "notification", "subject", "text", "to"].sort(),
    );
    expect(page.previous).toBeNull();
    expect(page.next).toContain("page=2");

    const telegram = (await service.inject({ method: "GET", url: "/api/outbox/?channel=telegram" })).json();
    expect(telegram.results.map((r: { notification: number }) => r.notification)).toEqual([ids[0]]);
    expect(telegram.results[0]).toMatchObject({ to: "42", subject: null });

    const one = (await service.inject({ method: "GET", url: `/api/outbox/?notification=${ids[1]}` })).json();
    expect(one).toMatchObject({ count: 1, next: null, previous: null });
    expect(one.results[0]).toMatchObject({
      channel: "email",
      to: "lister@example.com",
      subject: "Notification",
    });
  });

  it("needs an API key and answers 400 for bad filters and 404 past the last page", async () => {
    const anonymous = await service.app.inject({ method: "GET", url: "/api/outbox/" });
    expect(anonymous.statusCode).toBe(401);
    const bad = await service.inject({ method: "GET", url: "/api/outbox/?channel=fax&notification=abc" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      channel: ["Select a valid choice: sms, email, telegram."],
      notification: ["Enter a whole number of at least 1."],
    });
    expect((await service.inject({ method: "GET", url: "/api/outbox/?page=999" })).statusCode).toBe(404);
  });
});

describe("delivery with the sandbox off", () => {
  let smsRu: FakeSmsRu;
  let service: TestService;

  beforeAll(async () => {
    smsRu = await FakeSmsRu.start();
    service = await startTestService({
      env: { DELIVERY_SANDBOX: "false", SMS_RU_API_URL: smsRu.url, SMS_RU_API_ID: "real-api-id" },
    });
  });
  afterAll(async () => {
    await service?.close();
    await smsRu?.close();
  });

  it("calls the real provider and writes nothing to the outbox; unconfigured channels are skipped", async () => {
    const user = await service.createUser({
      email: "real@example.com",
      password: "correct horse battery",
      phone_number: "+79990001144",
    });
    const created = await service.createNotification({
      user: user.id,
      message: "for real",
      channels: ["email", "sms"],
    });
    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "sent", last_channel: "sms" });
    expect(done.attempts.map((a) => [a.channel, a.status, a.error_kind])).toEqual([
      ["email", "skipped", "not_configured"],
      ["sms", "sent", null],
    ]);
    expect(done.attempts[1]?.provider_message_id).not.toMatch(/^sandbox-/);
    expect(smsRu.messages).toHaveLength(1);
    expect((await service.core.pool.query("SELECT count(*)::int AS n FROM outbox")).rows[0].n).toBe(0);
    expect((await service.inject({ method: "GET", url: "/api/outbox/" })).json()).toMatchObject({ count: 0 });
  });
});
