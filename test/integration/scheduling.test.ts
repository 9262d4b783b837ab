/**
 * send_at, expiry and quiet hours end to end. Decisions that depend on the time run with an
 * injected clock (the core's for creation, deliverNotification's for rounds) instead of waiting;
 * only "delivered at send_at" uses the real clock, with a send_at two seconds ahead.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDeliveryRuntime, type DeliveryRuntime } from "../../src/app.js";
import { deliverNotification } from "../../src/usecases/deliver-notification.js";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

const PHONE = "79990001122";
const transientSmsFailure = { status: 503, raw: "Service Unavailable" };
const seconds = (n: number) => n * 1000;

describe("scheduling, expiry and quiet hours", () => {
  let providers: LoopbackProviders;
  /** With a worker: real time. */
  let live: TestService;
  /** Without a worker: rounds run by hand, with the clock the test gives. */
  let manual: TestService;
  let runtime: DeliveryRuntime;
  let nextChat = 920_000;

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    [live, manual] = await Promise.all([
      startTestService({ env: providers.env({ MAX_RETRIES: "2" }) }),
      startTestService({ env: providers.env({ MAX_RETRIES: "2" }), worker: false }),
    ]);
    runtime = createDeliveryRuntime(manual.core);
  });
  afterAll(async () => {
    await runtime?.close();
    await Promise.all([live?.close(), manual?.close()]);
    await providers?.close();
  });
  beforeEach(() => {
    providers.reset();
    manual.core.clock = undefined;
  });

  const user = (service: TestService, fields: Record<string, unknown> = {}) =>
    service.createUser({
      email: `u${nextChat}@example.com`,
      password: "long enough",
      phone_number: PHONE,
      telegram_id: String(nextChat++),
      ...fields,
    });
  /** Claims what is due as a worker would, runs the round of `id`, and hands the others back. */
  const deliver = async (id: number, clock?: () => Date) => {
    const { deliveries, workerId, leaseSeconds } = runtime.deliverDeps;
    const batch = await manual.core.deliveries.claimDue(workerId, leaseSeconds, 1_000);
    const mine = batch.deliveries.find((claimed) => claimed.notification.id === id);
    await Promise.all(
      batch.deliveries
        .filter((claimed) => claimed !== mine)
        .map((claimed) => deliveries.release(claimed.notification.id, workerId)),
    );
    if (!mine) return "not_due";
    return deliverNotification({ ...runtime.deliverDeps, ...(clock ? { clock } : {}) }, mine);
  };
  const list = async (service: TestService, query: string) =>
    (await service.inject({ method: "GET", url: `/api/notifications/?${query}` }))
      .json()
      .results.map((n: { id: number }) => n.id);

  describe("send_at", () => {
    it("delivers at send_at, not a poll interval late (within 1.5 s)", async () => {
      const recipient = await user(live);
      const sendAt = new Date(Date.now() + seconds(2));
      const created = await live.createNotification({
        user: recipient.id,
        message: "at two",
        channels: ["sms"],
        send_at: sendAt.toISOString(),
      });
      expect(created).toMatchObject({ status: "pending", next_attempt_at: sendAt.toISOString() });
      const done = await live.waitForStatus(created.id, "sent");
      const sent = await live.core.pool.query<{ started_at: Date }>(
        "SELECT started_at FROM attempts WHERE notification_id = $1",
        [created.id],
      );
      const lateMs = sent.rows[0]!.started_at.getTime() - sendAt.getTime();
      expect(lateMs).toBeGreaterThanOrEqual(0);
      expect(lateMs).toBeLessThan(1_500);
      expect(done.attempts).toHaveLength(1);
    });

    it("sends a send_at in the past now", async () => {
      const recipient = await user(live);
      const created = await live.createNotification({
        user: recipient.id,
        message: "late",
        channels: ["sms"],
        send_at: "2020-01-01T00:00:00+03:00",
      });
      expect(new Date(created.next_attempt_at as string).getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
      await live.waitForStatus(created.id, "sent");
    });

    it("lists scheduled notifications apart, and cancels one so it is never sent", async () => {
      const recipient = await user(live);
      const later = await live.createNotification({
        user: recipient.id,
        message: "in an hour",
        channels: ["sms"],
        send_at: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(await list(live, "status=pending&scheduled=true")).toContain(later.id);
      expect(await list(live, "scheduled=false")).not.toContain(later.id);
      const cancelled = await live.inject({ method: "POST", url: `/api/notifications/${later.id}/cancel/` });
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json()).toMatchObject({ status: "cancelled", next_attempt_at: null });
      expect(await list(live, "scheduled=true")).not.toContain(later.id);
      const bad = await live.inject({ method: "GET", url: "/api/notifications/?scheduled=soon" });
      expect(bad.json()).toEqual({ scheduled: ["Must be true or false."] });
      expect(
        (await live.inject({ method: "GET", url: "/api/notifications/?status=sent&scheduled=true" }))
          .statusCode,
      ).toBe(400);
      expect(providers.smsRu.messages).toHaveLength(0);
    });

    it("refuses malformed times, both expiries, and an expiry before send_at", async () => {
      const recipient = await user(live);
      const post = (fields: object) =>
        live.inject({
          method: "POST",
          url: "/api/notifications/",
          payload: { user: recipient.id, message: "x", ...fields },
        });
      expect((await post({ send_at: "2026-12-01T09:00:00" })).json()).toHaveProperty("send_at");
      expect((await post({ expires_at: "2099-01-01T00:00:00Z", ttl_seconds: 60 })).json()).toEqual({
        expires_at: ["Give expires_at or ttl_seconds, not both."],
      });
      expect((await post({ expires_at: "2020-01-01T00:00:00Z" })).json()).toEqual({
        expires_at: ["This time has already passed."],
      });
      const early = await post({ send_at: new Date(Date.now() + 120_000).toISOString(), ttl_seconds: 60 });
      expect(early.json()).toEqual({ ttl_seconds: ["It would expire before send_at."] });
      expect((await post({ priority: "urgent" })).statusCode).toBe(400);
    });
  });

  describe("expiry", () => {
    it("expires before the first round: no attempt, status expired with a reason", async () => {
      const recipient = await user(manual);
      const created = await manual.createNotification({
        user: recipient.id,
        message: "code 1",
        channels: ["sms"],
        ttl_seconds: 60,
      });
      const expiresAt = new Date(created.expires_at as string);
      expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 55_000);
      expect(await deliver(created.id, () => new Date(expiresAt.getTime() + 1))).toBe("expired");
      const after = await manual.getNotification(created.id);
      expect(after).toMatchObject({ status: "expired", next_attempt_at: null, attempts: [] });
      expect(after.failure_reason).toBe(
        `it expired at ${expiresAt.toISOString()} before any channel delivered it`,
      );
      expect(providers.smsRu.messages).toHaveLength(0);
    });

    it("expires between rounds of a retrying notification, and the attempts show where it stopped", async () => {
      const recipient = await user(manual);
      const created = await manual.createNotification({
        user: recipient.id,
        message: "code 2",
        channels: ["sms"],
        expires_at: new Date(Date.now() + 60_000).toISOString(),
      });
      providers.smsRu.replyNext(transientSmsFailure);
      expect(await deliver(created.id)).toBe("retry_scheduled");
      const waiting = await manual.getNotification(created.id);
      await waitFor("the retry to be due", () =>
        new Date(waiting.next_attempt_at as string).getTime() <= Date.now() ? true : undefined,
      );
      expect(await deliver(created.id, () => new Date(Date.now() + 61_000))).toBe("expired");
      const after = await manual.getNotification(created.id);
      expect(after).toMatchObject({ status: "expired", retry_count: 1, next_attempt_at: null });
      expect(after.attempts.map((a) => [a.channel, a.round, a.status])).toEqual([["sms", 1, "failed"]]);
      expect(providers.smsRu.messages).toHaveLength(1);
    });

    it("expires at once instead of scheduling a round that would come after its expiry", async () => {
      const recipient = await user(manual);
      const created = await manual.createNotification({
        user: recipient.id,
        message: "code 3",
        channels: ["sms"],
        ttl_seconds: 60,
      });
      const expiresAt = new Date(created.expires_at as string).getTime();
      providers.smsRu.replyNext(transientSmsFailure);
      // The retry delay is 0.2 s; 0.1 s before the expiry, the next round could only come after it.
      expect(await deliver(created.id, () => new Date(expiresAt - 100))).toBe("expired");
      const after = await manual.getNotification(created.id);
      expect(after.status).toBe("expired");
      expect(after.failure_reason).toMatch(/^it would have expired \(at .*\) before it was due/);
      expect(after.attempts).toHaveLength(1);
    });

    it("checks the expiry again before every channel attempt", async () => {
      const recipient = await user(manual);
      const created = await manual.createNotification({
        user: recipient.id,
        message: "code 4",
        channels: ["sms", "telegram"],
        ttl_seconds: 60,
      });
      providers.smsRu.replyNext(transientSmsFailure);
      // Time passes the expiry while SMS.ru answers: Telegram must not be tried.
      const clock = () => new Date(Date.now() + (providers.smsRu.messages.length > 0 ? 61_000 : 0));
      expect(await deliver(created.id, clock)).toBe("expired");
      const after = await manual.getNotification(created.id);
      expect(after.status).toBe("expired");
      expect(after.attempts.map((a) => [a.channel, a.status])).toEqual([["sms", "failed"]]);
      expect(providers.telegram.requests).toHaveLength(0);
      expect(await list(manual, "status=expired")).toContain(created.id);
    });
  });

  describe("quiet hours", () => {
    const night = { start: "22:00", end: "08:00" };

    it("holds a notification due inside quiet hours until they end, across the night clocks go forward", async () => {
      const recipient = await user(manual, { timezone: "Europe/Berlin", quiet_hours: night });
      /** Creates one due now and runs its round at `now`: held, it shows when it will go. */
      const heldAt = async (now: string) => {
        const created = await manual.createNotification({
          user: recipient.id,
          message: "good morning",
          channels: ["sms"],
        });
        expect(await deliver(created.id, () => new Date(now))).toBe("held");
        return manual.getNotification(created.id);
      };
      // Saturday 23:30 in Berlin (CET); 08:00 on Sunday is CEST, 06:00 UTC.
      expect(await heldAt("2026-03-28T22:30:00Z")).toMatchObject({
        status: "pending",
        next_attempt_at: "2026-03-29T06:00:00.000Z",
        retry_count: 0,
      });
      // The night clocks go back: 08:00 on Sunday is CET, 07:00 UTC.
      expect((await heldAt("2026-10-24T21:30:00Z")).next_attempt_at).toBe("2026-10-25T07:00:00.000Z");
      // Before midnight and after, the same window.
      expect((await heldAt("2026-01-16T05:59:00Z")).next_attempt_at).toBe("2026-01-16T07:00:00.000Z");
      expect(providers.smsRu.messages).toHaveLength(0);
      // Holding is not a round: no attempt is recorded, none counted.
      const [latest] = (await list(manual, `user=${recipient.id}`)) as number[];
      expect(await manual.getNotification(latest!)).toMatchObject({ attempts: [], retry_count: 0 });
    });

    it("applies quiet hours set after the notification was created", async () => {
      const recipient = await user(manual);
      const created = await manual.createNotification({
        user: recipient.id,
        message: "x",
        channels: ["sms"],
      });
      const patched = await manual.inject({
        method: "PATCH",
        url: `/api/users/${recipient.id}/`,
        payload: { timezone: "Europe/Berlin", quiet_hours: night },
      });
      expect(patched.statusCode).toBe(200);
      expect(await deliver(created.id, () => new Date("2026-01-15T23:00:00Z"))).toBe("held");
      expect(providers.smsRu.messages).toHaveLength(0);
    });

    it("lets a critical notification through, and has no quiet hours without a time zone", async () => {
      const recipient = await user(manual, { timezone: "Europe/Berlin", quiet_hours: night });
      const noZone = await user(manual, { quiet_hours: night });
      const insideNow = () => new Date("2026-01-15T23:00:00Z");
      const critical = await manual.createNotification({
        user: recipient.id,
        message: "your code",
        channels: ["sms"],
        priority: "critical",
      });
      expect(critical.priority).toBe("critical");
      const plain = await manual.createNotification({ user: noZone.id, message: "hi", channels: ["sms"] });
      expect(await deliver(critical.id, insideNow)).toBe("sent");
      expect(await deliver(plain.id, insideNow)).toBe("sent");
      expect(providers.smsRu.messages).toHaveLength(2);
    });

    it("expires a notification whose round falls due in quiet hours that outlast its expiry", async () => {
      const recipient = await user(manual, { timezone: "Europe/Berlin", quiet_hours: night });
      const clock = () => new Date("2026-01-15T23:00:00Z");
      manual.core.clock = clock;
      const created = await manual.createNotification({
        user: recipient.id,
        message: "flash sale",
        channels: ["sms"],
        expires_at: "2026-01-16T03:00:00Z",
      });
      expect(await deliver(created.id, clock)).toBe("expired");
      const expired = await manual.getNotification(created.id);
      expect(expired).toMatchObject({ status: "expired", next_attempt_at: null });
      expect(expired.failure_reason).toMatch(/quiet hours to end \(08:00 Europe\/Berlin\)/);
      expect(providers.smsRu.messages).toHaveLength(0);
    });

    it("pushes a retry that would fall inside quiet hours to their end", async () => {
      const recipient = await user(manual, { timezone: "Europe/Berlin", quiet_hours: night });
      // 21:59:59.9 in Berlin: due now; the retry 0.2 s later would fall inside 22:00-08:00.
      const clock = () => new Date("2026-01-15T20:59:59.900Z");
      manual.core.clock = clock;
      const created = await manual.createNotification({
        user: recipient.id,
        message: "x",
        channels: ["sms"],
      });
      providers.smsRu.replyNext(transientSmsFailure);
      const before = Date.now();
      expect(await deliver(created.id, clock)).toBe("retry_scheduled");
      const after = await manual.getNotification(created.id);
      // From 20:59:59.9 UTC to 07:00 UTC: 36000.1 s from now, by the database's clock.
      const waitMs = new Date(after.next_attempt_at as string).getTime() - before;
      expect(waitMs).toBeGreaterThan(36_000_000 - 5_000);
      expect(waitMs).toBeLessThan(36_000_100 + 5_000);
    });
  });
});
