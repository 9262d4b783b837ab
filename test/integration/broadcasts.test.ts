import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fanOutBroadcast } from "../../src/broadcasts/fan-out-broadcast.js";
import { silentLogger } from "../../src/core/logger.js";
import {
  serializeAttempt,
  serializeNotification,
  serializeSuppression,
  serializeUser,
} from "../../src/entry/public-json.js";
import { WebhookEmitter } from "../../src/webhooks/webhook-emitter.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

const greeting = {
  key: "greeting",
  default_locale: "en",
  locales: {
    en: { sms: { text: "Hello {{ user.first_name }}, issue {{ data.issue }} is out" } },
    pt: { sms: { text: "Olá {{ user.first_name }}, a edição {{ data.issue }} saiu" } },
  },
};

/** What a worker hands fanOutBroadcast, for a test that drives the fan-out itself, 10 users a batch. */
function fanOutDeps(service: TestService) {
  const { core } = service;
  return {
    store: core.broadcasts,
    templateCatalog: core.templateCatalog,
    channelOrder: core.channelOrder,
    wakeUps: core.wakeUps,
    workerId: "test-worker",
    leaseSeconds: 30,
    batchSize: 10,
    maxBacklog: 0,
    backlogWaitSeconds: 1,
    logger: silentLogger,
  };
}

describe("broadcasts", () => {
  let service: TestService;
  let nextUser = 0;

  beforeAll(async () => {
    // Every channel delivers into the sandbox outbox: these tests are about who gets what, once.
    service = await startTestService({
      env: { DELIVERY_SANDBOX: "true", CHANNEL_ORDER: "sms", BROADCAST_BATCH_SIZE: "7" },
    });
    expect((await post("/api/templates/", greeting)).statusCode).toBe(201);
  });
  afterAll(async () => {
    await service?.close();
  });

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    service.inject({ method: "POST", url, payload, headers });
  const get = async (url: string) => {
    const response = await service.inject({ method: "GET", url });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const users = async (count: number, fields: Record<string, unknown> = {}) => {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      nextUser += 1;
      const user = await service.createUser({
        email: `b${nextUser}@example.com`,
        password: "long enough",
        first_name: `User${nextUser}`,
        phone_number: "+79990001122",
        ...fields,
      });
      ids.push(user.id);
    }
    return ids;
  };
  const notificationsOf = async (broadcast: number) =>
    (
      await service.core.pool.query<{
        user_id: string;
        status: string;
        message: string;
        locale: string | null;
      }>(
        "SELECT user_id, status, message, locale FROM notifications WHERE broadcast_id = $1 ORDER BY user_id",
        [broadcast],
      )
    ).rows.map((row) => ({ ...row, user_id: Number(row.user_id) }));
  const waitForStatus = (id: number, status: string) =>
    waitFor(`broadcast ${id} to be ${status}`, async () => {
      const broadcast = await get(`/api/broadcasts/${id}/`);
      return broadcast.status === status ? broadcast : undefined;
    });

  it("sends one notification to each distinct known user, reporting the unknown ids", async () => {
    const ids = await users(20);
    const response = await post("/api/broadcasts/", {
      users: [...ids, ids[0], ids[1], 990_001, 990_002],
      message: "Maintenance at 02:00",
      category: "service",
    });
    expect(response.statusCode, response.body).toBe(202);
    const created = response.json();
    expect(created).toMatchObject({
      status: "pending",
      total: 20,
      unknown_users: [990_001, 990_002],
      unknown_user_count: 2,
      category: "service",
      counts: { pending: 0, sent: 0, failed: 0, cancelled: 0, expired: 0 },
    });

    await waitForStatus(created.id, "done");
    const sent = await waitFor("every notification to be sent", async () => {
      const broadcast = await get(`/api/broadcasts/${created.id}/`);
      return broadcast.counts.sent === 20 ? broadcast : undefined;
    });
    expect(sent).toMatchObject({ fanned_out: 20, counts: { pending: 0, failed: 0 } });
    const rows = await notificationsOf(created.id);
    expect(rows.map((row) => row.user_id)).toEqual(ids);
    expect(new Set(rows.map((row) => row.message))).toEqual(new Set(["Maintenance at 02:00"]));
    const categories = await service.core.pool.query(
      "SELECT DISTINCT category FROM notifications WHERE broadcast_id = $1",
      [created.id],
    );
    expect(categories.rows).toEqual([{ category: "service" }]);
    const outbox = await service.core.pool.query(
      "SELECT count(*)::int AS n FROM outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.broadcast_id = $1",
      [created.id],
    );
    expect(outbox.rows[0].n).toBe(20);

    const listed = await get(`/api/notifications/?broadcast=${created.id}&status=sent&page_size=5`);
    expect(listed.count).toBe(20);
    expect(listed.results).toHaveLength(5);
    expect(listed.results[0].broadcast).toBe(created.id);
    expect((await get(`/api/notifications/?broadcast=${created.id}&status=failed`)).count).toBe(0);
  });

  it("renders a template per recipient in their own locale", async () => {
    const english = await users(2, { locale: "en" });
    const portuguese = await users(2, { locale: "pt-BR" });
    const response = await post("/api/broadcasts/", {
      users: [...english, ...portuguese],
      template: "greeting",
      data: { issue: 12 },
    });
    expect(response.statusCode, response.body).toBe(202);
    const { id } = response.json();
    await waitForStatus(id, "done");
    const rows = await notificationsOf(id);
    expect(rows.map((row) => [row.locale, row.message])).toEqual([
      ["en", `Hello User${nextUser - 3}, issue 12 is out`],
      ["en", `Hello User${nextUser - 2}, issue 12 is out`],
      ["pt", `Olá User${nextUser - 1}, a edição 12 saiu`],
      ["pt", `Olá User${nextUser}, a edição 12 saiu`],
    ]);
  });

  it("refuses a template that cannot render, storing nothing", async () => {
    const [id] = await users(1);
    const before = (await get("/api/broadcasts/")).count;
    const missingData = await post("/api/broadcasts/", { users: [id], template: "greeting" });
    expect(missingData.statusCode).toBe(400);
    expect(missingData.json()).toHaveProperty("template");
    const unknownTemplate = await post("/api/broadcasts/", { users: [id], template: "nope", data: {} });
    expect(unknownTemplate.statusCode).toBe(400);
    expect((await get("/api/broadcasts/")).count).toBe(before);
  });

  it("goes to every user that exists when it is created, with all_users", async () => {
    const { rows } = await service.core.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
    const response = await post("/api/broadcasts/", { all_users: true, message: "To everyone" });
    expect(response.statusCode, response.body).toBe(202);
    const { id, total } = response.json();
    expect(total).toBe(rows[0]!.n);
    await waitForStatus(id, "done");
    await users(1);
    const recipients = await notificationsOf(id);
    expect(recipients).toHaveLength(rows[0]!.n);
    expect(new Set(recipients.map((row) => row.user_id)).size).toBe(rows[0]!.n);
  });

  it("creates one broadcast per Idempotency-Key, whatever the order of the ids", async () => {
    const ids = await users(3);
    const headers = { "idempotency-key": "broadcast-key-1" };
    const first = await post("/api/broadcasts/", { users: ids, message: "Once" }, headers);
    expect(first.statusCode, first.body).toBe(202);
    const again = await post(
      "/api/broadcasts/",
      { message: "Once", users: [...ids].reverse().concat(ids[0]!) },
      headers,
    );
    expect(again.statusCode).toBe(202);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().id).toBe(first.json().id);
    const other = await post("/api/broadcasts/", { users: ids, message: "Twice" }, headers);
    expect(other.statusCode).toBe(409);
    await waitForStatus(first.json().id, "done");
    expect(await notificationsOf(first.json().id)).toHaveLength(3);

    // Housekeeping forgets a key past IDEMPOTENCY_TTL_HOURS; the broadcast stays.
    await service.core.pool.query(
      "UPDATE broadcast_idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'broadcast-key-1'",
    );
    expect(await service.core.broadcastIdempotencyKeys.deleteExpired(24)).toBe(1);
    expect((await get(`/api/broadcasts/${first.json().id}/`)).total).toBe(3);
  });

  it("stops the fan-out and cancels its pending notifications when cancelled", async () => {
    // A second service without a worker: this test runs the fan-out's batches itself.
    const idle = await startTestService({
      worker: false,
      env: { DELIVERY_SANDBOX: "true", CHANNEL_ORDER: "sms", BROADCAST_BATCH_SIZE: "10" },
    });
    try {
      // The users are only the setting: one statement, not 30 password hashes.
      const { rows: made } = await idle.core.pool.query<{ id: string }>(
        `INSERT INTO users (email, password_hash)
         SELECT 'c' || g || '@example.com', 'not-a-login' FROM generate_series(1, 30) g RETURNING id`,
      );
      const ids = made.map((row) => Number(row.id));
      const created = await idle.inject({
        method: "POST",
        url: "/api/broadcasts/",
        payload: { users: ids, message: "Cancel me" },
      });
      expect(created.statusCode, created.body).toBe(202);
      const { id } = created.json();
      let batches = 0;
      const deps = {
        ...fanOutDeps(idle),
        // Hands the broadcast back after two batches, as a worker shutting down does.
        stopping: () => batches++ >= 2,
      };
      const claimed = await idle.core.broadcasts.claimDue("test-worker", 30, 1);
      expect(await fanOutBroadcast(deps, claimed.items[0]!)).toBe("stopped");
      const midway = (await idle.inject({ method: "GET", url: `/api/broadcasts/${id}/` })).json();
      expect(midway).toMatchObject({ status: "fanning_out", fanned_out: 20, counts: { pending: 20 } });

      const cancelled = await idle.inject({ method: "POST", url: `/api/broadcasts/${id}/cancel/` });
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json()).toMatchObject({
        status: "cancelled",
        fanned_out: 20,
        counts: { pending: 0, cancelled: 20 },
      });
      // The fan-out takes up nothing more: its broadcast is no longer due, and holding it does nothing.
      expect((await idle.core.broadcasts.claimDue("test-worker", 30, 1)).items).toEqual([]);
      expect(await fanOutBroadcast(deps, { id, status: "fanning_out" })).toBe("lease_lost");
      const { rows } = await idle.core.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM notifications WHERE broadcast_id = $1",
        [id],
      );
      expect(rows[0]!.n).toBe(20);
      const again = await idle.inject({ method: "POST", url: `/api/broadcasts/${id}/cancel/` });
      expect(again.json()).toMatchObject({ status: "cancelled", counts: { cancelled: 20 } });
    } finally {
      await idle.close();
    }
  });

  const broadcastRow = async (id: number) =>
    (
      await service.core.pool.query<{ status: string; finished_at: Date | null; next_batch_at: Date | null }>(
        "SELECT status, finished_at, next_batch_at FROM broadcasts WHERE id = $1",
        [id],
      )
    ).rows[0]!;
  const cancel = (id: number) => service.inject({ method: "POST", url: `/api/broadcasts/${id}/cancel/` });

  it("refuses to cancel a broadcast that is done with nothing pending, and leaves it done", async () => {
    const ids = await users(3);
    const created = await post("/api/broadcasts/", { users: ids, message: "Already out" });
    expect(created.statusCode, created.body).toBe(202);
    const { id } = created.json();
    await waitFor("the broadcast to be done and delivered", async () => {
      const broadcast = await get(`/api/broadcasts/${id}/`);
      return broadcast.status === "done" && broadcast.counts.sent === 3 ? broadcast : undefined;
    });
    const before = await broadcastRow(id);

    const refused = await cancel(id);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toEqual({
      detail: `Broadcast ${id} cannot be cancelled: it is done and none of its notifications is pending any more (3 sent).`,
    });
    expect(await broadcastRow(id)).toEqual({ ...before, status: "done", next_batch_at: null });
    expect((await notificationsOf(id)).map((row) => row.status)).toEqual(["sent", "sent", "sent"]);
    expect((await get(`/api/broadcasts/${id}/`)).status).toBe("done");
    expect((await cancel(999_999)).statusCode).toBe(404);
  });

  it("cancels the notifications a done broadcast still has pending, leaving those sent", async () => {
    // Quiet hours from an hour ago to two hours ahead hold two recipients' notifications, pending,
    // after the fan-out is done; the other two are delivered.
    const hhmm = (offsetMinutes: number) =>
      new Date(Date.now() + offsetMinutes * 60_000).toISOString().slice(11, 16);
    const awake = await users(2);
    const asleep = await users(2, {
      timezone: "UTC",
      quiet_hours: { start: hhmm(-60), end: hhmm(120) },
    });
    const created = await post("/api/broadcasts/", { users: [...awake, ...asleep], message: "Partly out" });
    expect(created.statusCode, created.body).toBe(202);
    const { id } = created.json();
    await waitFor("the broadcast done, two sent and two held", async () => {
      const broadcast = await get(`/api/broadcasts/${id}/`);
      const held = await service.core.pool.query(
        "SELECT 1 FROM notifications WHERE broadcast_id = $1 AND status = 'pending' AND next_attempt_at > now() + interval '30 minutes'",
        [id],
      );
      return broadcast.status === "done" && broadcast.counts.sent === 2 && held.rowCount === 2
        ? broadcast
        : undefined;
    });

    const cancelled = await cancel(id);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({
      status: "cancelled",
      counts: { pending: 0, sent: 2, cancelled: 2 },
    });
    expect((await broadcastRow(id)).status).toBe("cancelled");
    const rows = await notificationsOf(id);
    expect(rows.map((row) => [row.user_id, row.status])).toEqual([
      [awake[0], "sent"],
      [awake[1], "sent"],
      [asleep[0], "cancelled"],
      [asleep[1], "cancelled"],
    ]);
    // Cancelled is not done: cancelling again stays harmless.
    expect((await cancel(id)).statusCode).toBe(200);
  });

  it("records each swept notification's cancelled webhook event with its cancel, or neither", async () => {
    const idle = await startTestService({
      worker: false,
      env: {
        DELIVERY_SANDBOX: "true",
        CHANNEL_ORDER: "sms",
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: "0",
      },
    });
    try {
      const { rows: made } = await idle.core.pool.query<{ id: string }>(
        `INSERT INTO users (email, password_hash)
         SELECT 'sweep' || g || '@example.com', 'not-a-login' FROM generate_series(1, 5) g RETURNING id`,
      );
      const created = await idle.inject({
        method: "POST",
        url: "/api/broadcasts/",
        payload: { users: made.map((row) => Number(row.id)), message: "Swept" },
      });
      const { id } = created.json();
      const endpoint = await idle.inject({
        method: "POST",
        url: "/api/webhooks/",
        payload: { url: "http://127.0.0.1:9/hook", events: ["notification.cancelled"] },
      });
      expect(endpoint.statusCode, endpoint.body).toBe(201);
      const webhooks = new WebhookEmitter({
        store: idle.core.webhooks,
        notifications: idle.core.notifications,
        users: idle.core.users,
        suppressions: idle.core.suppressions,
        attempts: idle.core.attempts,
        shapes: {
          notification: serializeNotification,
          attempt: serializeAttempt,
          user: serializeUser,
          suppression: serializeSuppression,
        },
        wakeUps: idle.core.webhookWakeUps,
        logger: silentLogger,
        cacheSeconds: 0,
      });
      const deps = { ...fanOutDeps(idle), webhooks };
      const claimed = await idle.core.broadcasts.claimDue("test-worker", 30, 1);
      expect(await fanOutBroadcast(deps, claimed.items[0]!)).toBe("done");
      const cancelledEvents = async () =>
        (
          await idle.core.pool.query<{ notification_id: string; n: number; deliveries: number }>(
            `SELECT e.notification_id, count(*)::int AS n,
                    (SELECT count(*)::int FROM webhook_deliveries d WHERE d.event_id = min(e.id)) AS deliveries
             FROM webhook_events e JOIN notifications n ON n.id = e.notification_id
             WHERE n.broadcast_id = $1 AND e.type = 'notification.cancelled' GROUP BY e.notification_id`,
            [id],
          )
        ).rows;
      const pending = async () =>
        (
          await idle.core.pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM notifications WHERE broadcast_id = $1 AND status = 'pending'",
            [id],
          )
        ).rows[0]!.n;

      // Events that cannot be stored take the cancel back with them: nothing is half-told.
      await expect(
        idle.core.broadcasts.cancelPendingNotifications(id, 10, async () => {
          throw new Error("the events could not be stored");
        }),
      ).rejects.toThrow("could not be stored");
      expect(await pending()).toBe(5);
      expect(await cancelledEvents()).toEqual([]);

      // The sweep a worker finishes (the API process died after marking the broadcast cancelled).
      expect(await idle.core.broadcasts.markCancelled(id)).toMatchObject({ status: "cancelled" });
      expect(await fanOutBroadcast(deps, { id, status: "cancelled" })).toBe("cancelled");
      expect(await pending()).toBe(0);
      const events = await cancelledEvents();
      expect(events).toHaveLength(5);
      expect(events.every((event) => event.n === 1 && event.deliveries === 1)).toBe(true);
      // A second sweep finds nothing to cancel, and tells nothing again.
      expect(await fanOutBroadcast(deps, { id, status: "cancelled" })).toBe("cancelled");
      expect(await cancelledEvents()).toEqual(events);
    } finally {
      await idle.close();
    }
  });

  it("answers a clear 400 for a bad audience or category", async () => {
    const [id] = await users(1);
    const cases: [object, string][] = [
      [{ message: "x" }, "users"],
      [{ users: [id], all_users: true, message: "x" }, "users"],
      [{ users: [], message: "x" }, "users"],
      [{ users: [id], message: "x", category: "Not A Slug" }, "category"],
      [{ users: [990_003], message: "x" }, "users"],
      [{ users: [id] }, "message"],
      [{ users: Array.from({ length: 100_001 }, (_, i) => i + 1), message: "x" }, "users"],
    ];
    for (const [payload, field] of cases) {
      const response = await post("/api/broadcasts/", payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(Object.keys(response.json()).join(), response.body).toContain(field);
    }
    expect((await service.inject({ method: "GET", url: "/api/broadcasts/999999/" })).statusCode).toBe(404);
  });

  it("lists broadcasts newest first, paginated", async () => {
    const page = await get("/api/broadcasts/?page_size=2");
    expect(page.results).toHaveLength(2);
    expect(page.results[0].id).toBeGreaterThan(page.results[1].id);
    expect(page.next).toContain("page=2");
  });
});
