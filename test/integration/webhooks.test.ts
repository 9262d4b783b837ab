/**
 * Signed status webhooks end to end: the real API, the real worker, PostgreSQL and Redis, the
 * loopback Telegram for deliveries, and a loopback HTTP receiver for the webhooks. Signatures are
 * checked with the independent `standardwebhooks` library, not with our own code.
 */
import type { IncomingHttpHeaders } from "node:http";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildHttpApp } from "../../src/entry/http/http-app.js";
import { runHousekeepingIfDue } from "../../src/usecases/housekeeping.js";
import { WebhookSender } from "../../src/webhooks/webhook-sender.js";
import { type FakeTelegram, telegramReplies } from "../support/fake-telegram.js";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { type FakeReply, ScriptedHttpServer } from "../support/scripted-http-server.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: WebhookBody;
}

interface NotificationShape {
  id: number;
  status: string;
  attempts: { channel: string; status: string }[];
  [field: string]: unknown;
}

interface WebhookBody {
  type: string;
  timestamp: string;
  data: { notification: NotificationShape; attempt?: Record<string, unknown>; sequence?: number };
}

/** An endpoint's receiving end: records every request and answers as scripted (200 by default). */
class Receiver {
  readonly requests: Received[] = [];
  private readonly script: FakeReply[] = [];
  constructor(readonly server: ScriptedHttpServer) {}

  static async start(): Promise<Receiver> {
    let receiver: Receiver | null = null;
    const server = await ScriptedHttpServer.start((req, body) => {
      receiver?.requests.push({ path: req.url ?? "", headers: req.headers, body, json: JSON.parse(body) });
      const ok: FakeReply = { status: 200, body: { ok: true } };
      return { reply: receiver?.script.shift() ?? ok, fallback: () => ok };
    });
    receiver = new Receiver(server);
    return receiver;
  }

  url(path: string): string {
    return `${this.server.url}${path}`;
  }

  replyNext(...replies: FakeReply[]): void {
    this.script.push(...replies);
  }

  to(path: string): Received[] {
    return this.requests.filter((request) => request.path === path);
  }

  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
  }
}

const headersOf = (request: Received) => ({
  "webhook-id": String(request.headers["webhook-id"]),
  "webhook-timestamp": String(request.headers["webhook-timestamp"]),
  "webhook-signature": String(request.headers["webhook-signature"]),
});

describe("webhooks", () => {
  let providers: LoopbackProviders;
  let telegram: FakeTelegram;
  let receiver: Receiver;
  let service: TestService;
  let userId: number;

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    telegram = providers.telegram;
    receiver = await Receiver.start();
    service = await startTestService({
      env: providers.env({
        CHANNEL_ORDER: "telegram",
        MAX_RETRIES: "1",
        RETRY_DELAY_SECONDS: "600",
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        WEBHOOK_TIMEOUT_SECONDS: "0.5",
        WEBHOOK_RETRY_SCHEDULE_SECONDS: "0.1,0.1,0.1",
        WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: "0",
        WEBHOOK_CONCURRENCY: "2",
      }),
    });
    userId = (
      await service.createUser({ email: "hooked@example.com", password: "long enough", telegram_id: "777" })
    ).id;
  });
  afterAll(async () => {
    await service?.close();
    await receiver?.server.close();
    await providers?.close();
  });
  beforeEach(() => {
    providers.reset();
    receiver.reset();
  });

  const count = async (table: string) =>
    (await service.core.pool.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`)).rows[0]?.n;

  const createEndpoint = async (body: Record<string, unknown>) => {
    const response = await service.inject({ method: "POST", url: "/api/webhooks/", payload: body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: number; secret: string; events: string[] };
  };

  const deliveries = async (endpointId: number) => {
    const response = await service.inject({ method: "GET", url: `/api/webhooks/${endpointId}/deliveries/` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().results as {
      id: number;
      event_id: string;
      event_type: string;
      status: string;
      attempt_count: number;
      attempts: { response_status: number | null; error: string | null; response_body: string | null }[];
    }[];
  };

  it("writes no webhook rows for a notification while no endpoint is subscribed", async () => {
    const created = await service.createNotification({ user: userId, message: "nobody listens" });
    expect((await service.waitForStatus(created.id)).status).toBe("sent");
    expect(await count("webhook_events")).toBe(0);
    expect(await count("webhook_deliveries")).toBe(0);

    // Subscribed to another type only: still nothing for a sent notification.
    const other = await createEndpoint({ url: receiver.url("/other"), events: ["notification.cancelled"] });
    const second = await service.createNotification({ user: userId, message: "still nobody" });
    expect((await service.waitForStatus(second.id)).status).toBe("sent");
    expect(await count("webhook_events")).toBe(0);
    await service.inject({ method: "DELETE", url: `/api/webhooks/${other.id}/` });
  });

  it("sends notification.sent, attempt.failed, notification.failed and notification.cancelled, signed", async () => {
    const endpoint = await createEndpoint({
      url: receiver.url("/all"),
      events: ["*"],
      description: "everything",
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const verifier = new Webhook(endpoint.secret);

    const sent = await service.createNotification({ user: userId, message: "hello" });
    await service.waitForStatus(sent.id, "sent");
    telegram.replyNext(telegramReplies.chatNotFound());
    const failed = await service.createNotification({ user: userId, message: "to nowhere" });
    await service.waitForStatus(failed.id, "failed");
    telegram.replyNext(telegramReplies.serverError());
    const cancelled = await service.createNotification({ user: userId, message: "later" });
    await waitFor("the first round to fail", async () =>
      (await service.getNotification(cancelled.id)).attempts.length === 1 ? true : undefined,
    );
    const cancel = await service.inject({
      method: "POST",
      url: `/api/notifications/${cancelled.id}/cancel/`,
    });
    expect(cancel.statusCode).toBe(200);

    const received = await waitFor("five events", () =>
      receiver.to("/all").length >= 5 ? receiver.to("/all") : undefined,
    );
    for (const request of received) {
      expect(request.headers["content-type"]).toBe("application/json");
      expect(String(request.headers["webhook-id"])).toMatch(/^msg_/);
      // The independent verifier throws on a bad signature or a stale timestamp.
      expect(verifier.verify(request.body, headersOf(request))).toEqual(request.json);
      expect(Number.isNaN(Date.parse(request.json.timestamp))).toBe(false);
    }
    const ofNotification = (id: number) =>
      received.filter((request) => request.json.data.notification?.id === id).map((request) => request.json);

    const [sentEvent] = ofNotification(sent.id);
    expect(sentEvent?.type).toBe("notification.sent");
    expect(sentEvent?.data.notification).toMatchObject({ id: sent.id, status: "sent", message: "hello" });
    expect(sentEvent?.data.notification.attempts).toMatchObject([{ channel: "telegram", status: "sent" }]);
    expect(sentEvent?.data.sequence).toBe(1);

    const failedEvents = ofNotification(failed.id);
    expect(failedEvents.map((event) => [event.type, event.data.sequence])).toEqual([
      ["attempt.failed", 1],
      ["notification.failed", 2],
    ]);
    expect(failedEvents[0]?.data.attempt).toMatchObject({
      channel: "telegram",
      status: "failed",
      error_kind: "permanent",
    });
    expect(failedEvents[1]?.data.notification).toMatchObject({ status: "failed" });

    // Emitted by two processes (the worker, then the API), so only their numbers say their order.
    const cancelledEvents = ofNotification(cancelled.id).sort(
      (a, b) => (a.data.sequence ?? 0) - (b.data.sequence ?? 0),
    );
    expect(new Set(cancelledEvents.map((event) => event.type))).toEqual(
      new Set(["attempt.failed", "notification.cancelled"]),
    );
    expect(new Set(cancelledEvents.map((event) => event.data.sequence))).toEqual(new Set([1, 2]));
    expect(
      cancelledEvents.find((event) => event.type === "notification.cancelled")?.data.notification.status,
    ).toBe("cancelled");

    const list = await deliveries(endpoint.id);
    expect(list).toHaveLength(5);
    expect(
      list.every(
        (delivery) => delivery.status === "succeeded" && delivery.attempts[0]?.response_status === 200,
      ),
    ).toBe(true);
    await service.inject({ method: "DELETE", url: `/api/webhooks/${endpoint.id}/` });
  });

  it("sends notification.cancelled once for each notification a broadcast's cancel cancels, none for those sent", async () => {
    const endpoint = await createEndpoint({ url: receiver.url("/bulk"), events: ["notification.cancelled"] });
    const verifier = new Webhook(endpoint.secret);
    const recipients: number[] = [];
    for (let i = 0; i < 6; i++) {
      const user = await service.createUser({
        email: `bulk${i}@example.com`,
        password: "long enough",
        telegram_id: String(8800 + i),
      });
      recipients.push(user.id);
    }
    // Three first rounds fail for now (the next is 600 s away), so their notifications stay pending.
    telegram.replyNext(
      telegramReplies.serverError(),
      telegramReplies.serverError(),
      telegramReplies.serverError(),
    );
    const created = await service.inject({
      method: "POST",
      url: "/api/broadcasts/",
      payload: { users: recipients, message: "bulk" },
    });
    expect(created.statusCode, created.body).toBe(202);
    const broadcastId = created.json().id as number;
    const statuses = async () =>
      (
        await service.core.pool.query<{ id: string; status: string; attempts: number }>(
          `SELECT n.id, n.status, (SELECT count(*)::int FROM attempts a
                    WHERE a.notification_id = n.id AND a.finished_at IS NOT NULL) AS attempts
           FROM notifications n WHERE n.broadcast_id = $1 ORDER BY n.id`,
          [broadcastId],
        )
      ).rows.map((row) => ({ ...row, id: Number(row.id) }));
    const settled = await waitFor("every notification to have had its first round", async () => {
      const rows = await statuses();
      return rows.length === 6 && rows.every((row) => row.attempts === 1) ? rows : undefined;
    });
    const pending = settled.filter((row) => row.status === "pending").map((row) => row.id);
    const sent = settled.filter((row) => row.status === "sent").map((row) => row.id);
    expect([pending.length, sent.length]).toEqual([3, 3]);

    const cancel = await service.inject({ method: "POST", url: `/api/broadcasts/${broadcastId}/cancel/` });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json().counts).toMatchObject({ cancelled: 3, sent: 3 });
    const received = await waitFor("three cancelled events", () =>
      receiver.to("/bulk").length >= 3 ? receiver.to("/bulk") : undefined,
    );
    // Cancelling again cancels nothing more, and tells nothing more.
    expect(
      (await service.inject({ method: "POST", url: `/api/broadcasts/${broadcastId}/cancel/` })).statusCode,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.to("/bulk")).toHaveLength(3);
    for (const request of received) {
      expect(verifier.verify(request.body, headersOf(request))).toEqual(request.json);
      expect(request.json.type).toBe("notification.cancelled");
      expect(request.json.data.sequence).toBe(1);
      expect(request.json.data.notification).toMatchObject({ status: "cancelled", broadcast: broadcastId });
      expect(request.json.data.notification.attempts).toMatchObject([
        { channel: "telegram", status: "failed" },
      ]);
    }
    const reported = received.map((request) => request.json.data.notification.id).sort((a, b) => a - b);
    expect(reported).toEqual(pending);
    expect(
      await count(
        `webhook_events WHERE type = 'notification.cancelled'
           AND notification_id IN (SELECT id FROM notifications WHERE broadcast_id = ${broadcastId})`,
      ),
    ).toBe(3);
    await service.inject({ method: "DELETE", url: `/api/webhooks/${endpoint.id}/` });
  });

  it("sends notification.expired when a notification runs out of time", async () => {
    const endpoint = await createEndpoint({ url: receiver.url("/expiry"), events: ["notification.expired"] });
    // The first round fails and the next (600 s later) would come after its expiry: it expires now.
    telegram.replyNext(telegramReplies.serverError());
    const created = await service.createNotification({
      user: userId,
      message: "soon stale",
      ttl_seconds: 30,
    });
    await service.waitForStatus(created.id, "expired");
    const [event] = await waitFor("the expired event", () =>
      receiver.to("/expiry").length ? receiver.to("/expiry") : undefined,
    );
    expect(event?.json.type).toBe("notification.expired");
    expect(event?.json.data.notification).toMatchObject({ id: created.id, status: "expired" });
    expect(new Webhook(endpoint.secret).verify(event?.body ?? "", headersOf(event!))).toBeTruthy();
    await service.inject({ method: "DELETE", url: `/api/webhooks/${endpoint.id}/` });
  });

  it("retries after a 500 and after a timeout, then succeeds, with the same webhook-id", async () => {
    const endpoint = await createEndpoint({ url: receiver.url("/flaky"), events: ["notification.sent"] });
    receiver.replyNext({ status: 500, raw: "boom".repeat(400) }, { hangMs: 1500 });
    const test = await service.inject({ method: "POST", url: `/api/webhooks/${endpoint.id}/test/` });
    expect(test.statusCode, test.body).toBe(202);
    expect(test.json()).toMatchObject({ event_type: "webhook.test", status: "pending" });

    const [delivery] = await waitFor("the delivery to succeed", async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.status === "succeeded" ? list : undefined;
    });
    expect(delivery?.attempts.map((attempt) => attempt.response_status)).toEqual([500, null, 200]);
    expect(delivery?.attempts[0]?.response_body).toHaveLength(1024);
    expect(delivery?.attempts[1]?.error).toMatch(/no answer within 0.5 s/);
    const ids = new Set(receiver.to("/flaky").map((request) => request.headers["webhook-id"]));
    expect(ids).toEqual(new Set([delivery?.event_id]));
    expect(receiver.to("/flaky")[0]?.json.type).toBe("webhook.test");
  });

  it("gives a delivery up after the schedule, refuses redirects, and replays it with the same id", async () => {
    const endpoint = await createEndpoint({ url: receiver.url("/down"), events: ["notification.sent"] });
    receiver.replyNext(
      { status: 503, body: {} },
      { status: 302, raw: "" },
      { status: 500, body: {} },
      { status: 500, body: {} },
    );
    await service.inject({ method: "POST", url: `/api/webhooks/${endpoint.id}/test/` });
    const [failed] = await waitFor("the delivery to fail", async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.status === "failed" ? list : undefined;
    });
    expect(failed?.attempts.map((attempt) => attempt.response_status)).toEqual([503, 302, 500, 500]);
    expect(failed?.attempts[1]?.error).toMatch(/302/);

    const replay = await service.inject({
      method: "POST",
      url: `/api/webhooks/${endpoint.id}/deliveries/${failed?.id}/replay/`,
    });
    expect(replay.statusCode, replay.body).toBe(202);
    const [replayed] = await waitFor("the replay to succeed", async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.status === "succeeded" ? list : undefined;
    });
    expect(replayed?.attempts.map((attempt) => attempt.response_status)).toEqual([503, 302, 500, 500, 200]);
    const requests = receiver.to("/down");
    expect(requests).toHaveLength(5);
    expect(new Set(requests.map((request) => request.headers["webhook-id"]))).toEqual(
      new Set([failed?.event_id]),
    );

    const unknown = await service.inject({
      method: "POST",
      url: `/api/webhooks/${endpoint.id}/deliveries/999999/replay/`,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toMatch(/not found/);
  });

  it("disables an endpoint that has failed every attempt for the failure window", async () => {
    const endpoint = await createEndpoint({ url: receiver.url("/dead"), events: ["notification.sent"] });
    receiver.replyNext({ status: 500, body: {} });
    await service.inject({ method: "POST", url: `/api/webhooks/${endpoint.id}/test/` });
    await waitFor("the endpoint to be failing", async () => {
      const current = (await service.inject({ method: "GET", url: `/api/webhooks/${endpoint.id}/` })).json();
      return current.failing_since ? current : undefined;
    });
    // Five days pass: the endpoint has been failing since then.
    await service.core.pool.query(
      "UPDATE webhook_endpoints SET failing_since = now() - interval '5 days 1 minute' WHERE id = $1",
      [endpoint.id],
    );
    receiver.replyNext({ status: 500, body: {} });
    const disabled = await waitFor("the endpoint to be disabled", async () => {
      const current = (await service.inject({ method: "GET", url: `/api/webhooks/${endpoint.id}/` })).json();
      return current.enabled === false ? current : undefined;
    });
    expect(disabled.disabled_reason).toMatch(/every delivery failed for 5 days/);
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery?.status).toBe("failed");

    // Disabled endpoints get no events, and test refuses until it is enabled again.
    const test = await service.inject({ method: "POST", url: `/api/webhooks/${endpoint.id}/test/` });
    expect(test.statusCode).toBe(409);
    const enabled = await service.inject({
      method: "PATCH",
      url: `/api/webhooks/${endpoint.id}/`,
      payload: { enabled: true },
    });
    expect(enabled.json()).toMatchObject({ enabled: true, disabled_reason: null, failing_since: null });
  });

  it("signs with both secrets for a while after a rotation", async () => {
    const endpoint = await createEndpoint({ url: receiver.url("/rotated"), events: ["notification.sent"] });
    const rotated = await service.inject({
      method: "POST",
      url: `/api/webhooks/${endpoint.id}/rotate-secret/`,
    });
    expect(rotated.statusCode).toBe(200);
    const newSecret = rotated.json().secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(endpoint.secret);
    const fetched = await service.inject({ method: "GET", url: `/api/webhooks/${endpoint.id}/` });
    expect(fetched.json().secret).toBeUndefined();

    await service.inject({ method: "POST", url: `/api/webhooks/${endpoint.id}/test/` });
    const [request] = await waitFor("the test event", () =>
      receiver.to("/rotated").length ? receiver.to("/rotated") : undefined,
    );
    if (!request) throw new Error("no request");
    expect(String(request.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(new Webhook(newSecret).verify(request.body, headersOf(request))).toEqual(request.json);
    expect(new Webhook(endpoint.secret).verify(request.body, headersOf(request))).toEqual(request.json);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(24, 7).toString("base64")}`).verify(request.body, headersOf(request)),
    ).toThrow();

    // Once the overlap is over, only the new secret signs.
    await service.core.pool.query(
      "UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1",
      [endpoint.id],
    );
    await service.inject({ method: "POST", url: `/api/webhooks/${endpoint.id}/test/` });
    const second = await waitFor("the second test event", () => receiver.to("/rotated")[1]);
    expect(String(second.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(() => new Webhook(endpoint.secret).verify(second.body, headersOf(second))).toThrow();
  });

  it("does not let a hanging endpoint delay notification delivery", async () => {
    const endpoint = await createEndpoint({ url: receiver.url("/hanging"), events: ["notification.sent"] });
    for (let i = 0; i < 20; i++) receiver.replyNext({ hangMs: 3000 });
    const created = [];
    // One recipient each: Telegram allows about one message a second per chat.
    for (let i = 0; i < 6; i++) {
      const user = await service.createUser({
        email: `busy${i}@example.com`,
        password: "long enough",
        telegram_id: `90${i}`,
      });
      created.push(await service.createNotification({ user: user.id, message: `n${i}` }));
    }
    for (const notification of created)
      expect((await service.waitForStatus(notification.id)).status).toBe("sent");
    // Every notification went while the endpoint held the webhook sends it had been given.
    const open = await deliveries(endpoint.id);
    expect(open.filter((delivery) => delivery.status !== "succeeded").length).toBeGreaterThan(0);
    await service.inject({ method: "DELETE", url: `/api/webhooks/${endpoint.id}/` });
  });

  it("deletes old webhook events with their deliveries under RETENTION_DAYS, never one still pending", async () => {
    const endpoint = await createEndpoint({ url: receiver.url("/old"), events: ["notification.sent"] });
    await service.inject({ method: "POST", url: `/api/webhooks/${endpoint.id}/test/` });
    await waitFor("the test delivery to succeed", async () =>
      (await deliveries(endpoint.id))[0]?.status === "succeeded" ? true : undefined,
    );
    await service.core.pool.query(
      `WITH event AS (INSERT INTO webhook_events (id, type, payload) VALUES ('msg_waiting', 'webhook.test', '{}') RETURNING id)
       INSERT INTO webhook_deliveries (event_id, endpoint_id, next_attempt_at)
       SELECT id, $1, now() + interval '1 day' FROM event`,
      [endpoint.id],
    );
    // Only the events that exist now are made old: a late event of an earlier test may still come.
    const { rows: aged } = await service.core.pool.query<{ id: string }>(
      "UPDATE webhook_events SET created_at = now() - interval '3 days' RETURNING id",
    );
    expect(aged.length).toBeGreaterThanOrEqual(2);
    // Housekeeping's turn has come (the worker took the last one when it started). The worker asks
    // for its turn every poll too and may take this one first: then bring the turn back and ask again.
    await waitFor("this test's housekeeping turn", async () => {
      await service.core.pool.query(
        "UPDATE maintenance_schedule SET next_run_at = now() - interval '1 second'",
      );
      const took = await runHousekeepingIfDue({
        ...service.core,
        retentionDays: 2,
        logger: service.core.logger,
      });
      return took ? true : undefined;
    });
    // What stays is what still has a delivery pending: this test's waiting one, and possibly an
    // earlier test's event whose delivery is still being retried (then it is not this test's).
    const left = await service.core.pool.query<{ id: string; pending: boolean }>(
      `SELECT e.id, EXISTS (SELECT 1 FROM webhook_deliveries d
                            WHERE d.event_id = e.id AND d.status = 'pending') AS pending
       FROM webhook_events e WHERE e.id = ANY($1)`,
      [aged.map((row) => row.id)],
    );
    expect(left.rows).toContainEqual({ id: "msg_waiting", pending: true });
    expect(left.rows.filter((row) => !row.pending)).toEqual([]);
    expect(left.rows.length).toBeLessThan(aged.length);
    expect(await deliveries(endpoint.id)).toMatchObject([{ event_id: "msg_waiting", status: "pending" }]);
    await service.inject({ method: "DELETE", url: `/api/webhooks/${endpoint.id}/` });
  });

  it("validates endpoints: URL scheme, event names, private addresses unless allowed", async () => {
    const bad = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: { url: "ftp://example.com/x", events: ["notification.sent", "notification.exploded"] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().url[0]).toMatch(/http/);
    expect(bad.json().events[0]).toMatch(/notification\.exploded/);
    const missing = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: { url: "https://example.com" },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toHaveProperty("events");

    // The same service with private networks not allowed (the default).
    const strict = await buildHttpApp({
      core: service.core,
      config: {
        ...service.core.config,
        webhooks: { ...service.core.config.webhooks, allowPrivateNetworks: false },
      },
    });
    try {
      for (const url of [
        receiver.url("/private"),
        "http://localhost:9/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/x",
        "http://192.168.0.10/x",
        "http://100.64.0.1/x",
        "http://[fd00:ec2::254]/x",
        "http://[::ffff:127.0.0.1]/x",
      ]) {
        const refused = await strict.inject({
          method: "POST",
          url: "/api/webhooks/",
          headers: { authorization: `Bearer ${service.apiKey}` },
          payload: { url, events: ["*"] },
        });
        expect(refused.statusCode, url).toBe(400);
        expect(refused.json().url[0], url).toMatch(/WEBHOOK_ALLOW_PRIVATE_NETWORKS/);
      }
    } finally {
      await strict.close();
    }
  });

  it("refuses to connect to a private address at delivery time, whatever the name resolved to before", async () => {
    const sender = new WebhookSender({ timeoutSeconds: 2, allowPrivateNetworks: false });
    try {
      const port = new URL(receiver.server.url).port;
      // A name that resolves to loopback now (it could have been public when the endpoint was made).
      const byName = await sender.send(`http://localhost:${port}/sneaky`, {}, "{}");
      expect(byName.ok).toBe(false);
      expect(byName.error).toMatch(/refused: localhost resolves to \S+, a loopback, .* internal address/);
      const byAddress = await sender.send(`http://127.0.0.1:${port}/sneaky`, {}, "{}");
      expect(byAddress.error).toBe(
        "refused: 127.0.0.1 is a loopback, private, link-local or otherwise internal address",
      );
      expect(receiver.to("/sneaky")).toHaveLength(0);
    } finally {
      await sender.close();
    }
  });
});
