import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { silentLogger } from "../../src/core/logger.js";
import { buildHttpApp } from "../../src/entry/http/http-app.js";
import { deleteOldNotifications } from "../../src/usecases/delete-old-notifications.js";
import { FakeSmsRu, smsRuReplies } from "../support/fake-sms-ru.js";
import { parsePrometheusText, sampleValue } from "../support/prometheus-text.js";
import { redisConnected } from "../support/redis-keys.js";
import { ScriptedHttpServer } from "../support/scripted-http-server.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

const M = "notification_service_";

describe("/healthz, /readyz and /metrics", () => {
  let smsRu: FakeSmsRu;
  let service: TestService;

  beforeAll(async () => {
    smsRu = await FakeSmsRu.start();
    service = await startTestService({
      // A long retry delay keeps a transiently failed notification waiting for its next round.
      env: { SMS_RU_API_URL: smsRu.url, SMS_RU_API_ID: "metrics-api-id", RETRY_DELAY_SECONDS: "600" },
    });
  });
  afterAll(async () => {
    await service?.close();
    await smsRu?.close();
  });

  it("answers /healthz without a key", async () => {
    const response = await service.app.inject({ method: "GET", url: "/healthz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz 200 without a key when PostgreSQL and Redis answer, and says which channels are configured", async () => {
    const response = await service.app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: "ok",
      checks: { postgres: { status: "ok" }, redis: { status: "ok" } },
      channels: { sms: "configured", email: "not_configured", telegram: "not_configured" },
      delivery_sandbox: false,
    });
  });

  it("counts notifications, outcomes by channel, attempts, retries, queue depth and time to send", async () => {
    const user = await service.createUser({
      email: "metrics@example.com",
      password: "correct horse battery",
      phone_number: "+79990001122",
    });
    const send = async (channels: string[]) =>
      (await service.createNotification({ user: user.id, message: "counted", channels })).id;

    const sentId = await send(["sms"]);
    await service.waitForStatus(sentId, "sent");
    // 209: permanent without suppressing the number, which the next notification still uses.
    smsRu.replyNext(smsRuReplies.numberError("79990001122", 209));
    await service.waitForStatus(await send(["sms"]), "failed");
    await service.waitForStatus(await send(["email"]), "failed");
    smsRu.replyNext(smsRuReplies.requestError(220));
    const retrying = await send(["sms"]);
    await waitFor("a retry to be scheduled", async () => {
      const notification = await service.getNotification(retrying);
      return notification.retry_count === 1 ? notification : undefined;
    });

    const response = await service.app.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheusText(response.body);
    const value = (name: string, labels?: Record<string, string>) => sampleValue(samples, M + name, labels);

    expect(value("notifications_created_total")).toBe(4);
    expect(value("notifications_sent_total", { channel: "sms" })).toBe(1);
    expect(value("notifications_sent_total", { channel: "email" })).toBe(0);
    expect(value("notifications_failed_total", { channel: "sms" })).toBe(1);
    expect(value("notifications_failed_total", { channel: "none" })).toBe(1);
    const attempts = (channel: string, status: string, error_kind: string) =>
      value("delivery_attempts_total", { channel, status, error_kind });
    expect(attempts("sms", "sent", "none")).toBe(1);
    expect(attempts("sms", "failed", "permanent")).toBe(1);
    expect(attempts("sms", "failed", "transient")).toBe(1);
    expect(attempts("email", "skipped", "not_configured")).toBe(1);
    expect(value("notifications_pending")).toBe(1);
    expect(value("notifications_waiting_for_retry")).toBe(1);
    expect(value("queue_notifications", { state: "scheduled" })).toBe(1);
    expect(value("queue_notifications", { state: "due" })).toBe(0);
    expect(value("queue_notifications", { state: "held" })).toBe(0);
    expect(value("queue_oldest_due_seconds")).toBe(0);
    expect(value("metrics_source_up", { source: "postgres" })).toBe(1);
    expect(value("metrics_source_up", { source: "redis" })).toBe(1);

    expect(value("delivery_latency_seconds_count", { channel: "sms" })).toBe(1);
    expect(value("delivery_latency_seconds_bucket", { channel: "sms", le: "+Inf" })).toBe(1);
    expect(value("delivery_latency_seconds_bucket", { channel: "sms", le: "30" })).toBe(1);
    const sum = value("delivery_latency_seconds_sum", { channel: "sms" })!;
    const { rows } = await service.core.pool.query(
      "SELECT extract(epoch FROM sent_at - created_at)::float AS seconds FROM notifications WHERE id = $1",
      [sentId],
    );
    expect(sum).toBeGreaterThan(0);
    expect(Math.abs(sum - rows[0].seconds)).toBeLessThan(0.5);
    expect(samples.some((sample) => sample.name === "process_cpu_user_seconds_total")).toBe(true);
  });

  it("gives the same delivery numbers from another API process over the same database and Redis", async () => {
    const config = parseConfig(service.env);
    const otherCore = createCore(config, silentLogger, 2);
    const otherApp = await buildHttpApp({ core: otherCore, config });
    await redisConnected(otherCore);
    try {
      const scrape = async (app: typeof otherApp) => {
        const samples = parsePrometheusText((await app.inject({ method: "GET", url: "/metrics" })).body);
        // Both sources must have answered, or the comparison would be of what is left out.
        expect(sampleValue(samples, `${M}metrics_source_up`, { source: "postgres" })).toBe(1);
        expect(sampleValue(samples, `${M}metrics_source_up`, { source: "redis" })).toBe(1);
        return samples.filter((sample) => sample.name.startsWith(M) && !sample.name.startsWith(`${M}queue_`));
      };
      const [here, there] = await Promise.all([scrape(service.app), scrape(otherApp)]);
      expect(there).toEqual(here);
      expect(here.length).toBeGreaterThan(10);
    } finally {
      await otherApp.close();
      await otherCore.close();
    }
  });
});

describe("/metrics counters", () => {
  let smsRu: FakeSmsRu;
  let service: TestService;

  beforeAll(async () => {
    smsRu = await FakeSmsRu.start();
    service = await startTestService({ env: { SMS_RU_API_URL: smsRu.url, SMS_RU_API_ID: "metrics-api-id" } });
  });
  afterAll(async () => {
    await service?.close();
    await smsRu?.close();
  });

  const counters = async () => {
    const samples = parsePrometheusText((await service.app.inject({ method: "GET", url: "/metrics" })).body);
    const value = (name: string, labels?: Record<string, string>) => sampleValue(samples, M + name, labels);
    return {
      created: value("notifications_created_total"),
      sentBySms: value("notifications_sent_total", { channel: "sms" }),
      failedBySms: value("notifications_failed_total", { channel: "sms" }),
      failedWithNoChannel: value("notifications_failed_total", { channel: "none" }),
      smsSent: value("delivery_attempts_total", { channel: "sms", status: "sent", error_kind: "none" }),
      smsRejected: value("delivery_attempts_total", {
        channel: "sms",
        status: "failed",
        error_kind: "permanent",
      }),
      emailSkipped: value("delivery_attempts_total", {
        channel: "email",
        status: "skipped",
        error_kind: "not_configured",
      }),
      pending: value("notifications_pending"),
    };
  };

  it("never go down when retention, an erasure or a manual retry takes rows out of what they count", async () => {
    const kept = await service.createUser({
      email: "kept@example.com",
      password: "correct horse",
      phone_number: "+79990001133",
    });
    const erased = await service.createUser({
      email: "erased@example.com",
      password: "correct horse",
      phone_number: "+79990001144",
    });
    const send = async (user: number, channels: string[], extra: Record<string, unknown> = {}) =>
      (await service.createNotification({ user, message: "counted", channels, ...extra })).id;

    await service.waitForStatus(await send(kept.id, ["sms"]), "sent");
    smsRu.replyNext(smsRuReplies.numberError("79990001133", 209));
    const rejected = await send(kept.id, ["sms"]);
    await service.waitForStatus(rejected, "failed");
    await service.waitForStatus(await send(kept.id, ["email"]), "failed");
    await service.waitForStatus(await send(erased.id, ["sms"]), "sent");
    const scheduled = await send(erased.id, ["sms"], {
      send_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const before = {
      created: 5,
      sentBySms: 2,
      failedBySms: 1,
      failedWithNoChannel: 1,
      smsSent: 2,
      smsRejected: 1,
      emailSkipped: 1,
      pending: 1,
    };
    expect(await counters()).toEqual(before);

    // The failure stays counted; the retry's own outcome is added.
    const retried = await service.inject({ method: "POST", url: `/api/notifications/${rejected}/retry/` });
    expect(retried.statusCode).toBe(200);
    await service.waitForStatus(rejected, "sent");
    const afterRetry = { ...before, sentBySms: 3, smsSent: 3 };
    expect(await counters()).toEqual(afterRetry);

    const erasure = await service.inject({ method: "DELETE", url: `/api/users/${erased.id}/` });
    expect(erasure.statusCode).toBe(204);
    expect(
      (await service.inject({ method: "GET", url: `/api/notifications/${scheduled}/` })).statusCode,
    ).toBe(404);
    expect(await counters()).toEqual({ ...afterRetry, pending: 0 });

    const { pool } = service.core;
    await pool.query("UPDATE notifications SET created_at = now() - interval '40 days'");
    expect(await deleteOldNotifications(service.core, 30)).toBe(3);
    const left = await pool.query(
      "SELECT (SELECT count(*) FROM notifications) + (SELECT count(*) FROM attempts) AS n",
    );
    expect(Number(left.rows[0].n)).toBe(0);
    expect(await counters()).toEqual({ ...afterRetry, pending: 0 });

    // What comes after is added to what was retired.
    await service.waitForStatus(await send(kept.id, ["sms"]), "sent");
    expect(await counters()).toEqual({ ...afterRetry, created: 6, sentBySms: 4, smsSent: 4, pending: 0 });
  });
  it("keep what erasures made at once took away, each counted once", async () => {
    const users = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        service.createUser({
          email: `many-${i}@example.com`,
          password: "correct horse",
          phone_number: `+7999000${2200 + i}`,
        }),
      ),
    );
    const sent = users.map(
      async (user) =>
        (await service.createNotification({ user: user.id, message: "sms", channels: ["sms"] })).id,
    );
    const skipped = users.map(
      async (user) =>
        (await service.createNotification({ user: user.id, message: "email", channels: ["email"] })).id,
    );
    for (const id of await Promise.all([...sent, ...skipped])) await service.waitForStatus(id);
    const delivered = await counters();

    const erasures = await Promise.all(
      users.map((user) => service.inject({ method: "DELETE", url: `/api/users/${user.id}/` })),
    );
    expect(erasures.map((erasure) => erasure.statusCode)).toEqual(users.map(() => 204));
    expect(await counters()).toEqual(delivered);
  });
});

describe("/metrics queue lag", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ worker: false });
  });
  afterAll(async () => {
    await service?.close();
  });

  it("says how long the oldest due notification no worker holds has waited", async () => {
    const user = await service.createUser({ email: "lag@example.com", password: "correct horse" });
    const lag = async () => {
      const samples = parsePrometheusText(
        (await service.app.inject({ method: "GET", url: "/metrics" })).body,
      );
      return {
        due: sampleValue(samples, `${M}queue_notifications`, { state: "due" }),
        oldest: sampleValue(samples, `${M}queue_oldest_due_seconds`)!,
      };
    };
    expect(await lag()).toEqual({ due: 0, oldest: 0 });

    const { id } = await service.createNotification({ user: user.id, message: "nobody delivers this" });
    await service.createNotification({ user: user.id, message: "nor this" });
    await service.core.pool.query(
      "UPDATE notifications SET next_attempt_at = now() - interval '90 seconds' WHERE id = $1",
      [id],
    );
    const waiting = await lag();
    expect(waiting.due).toBe(2);
    expect(waiting.oldest).toBeGreaterThanOrEqual(90);
    expect(waiting.oldest).toBeLessThan(120);

    // Held under a lease, it is a worker's and no longer waiting.
    await service.core.pool.query(
      "UPDATE notifications SET lease_owner = 'a-worker', lease_expires_at = now() + interval '1 minute' WHERE id = $1",
      [id],
    );
    const held = await lag();
    expect(held.due).toBe(1);
    expect(held.oldest).toBeLessThan(60);
  });
});

describe("/metrics webhook endpoints", () => {
  let service: TestService;
  let endpoints: ScriptedHttpServer;

  beforeAll(async () => {
    endpoints = await ScriptedHttpServer.start((request) => {
      const reply = request.url?.startsWith("/down") ? { status: 503, body: {} } : { status: 204, body: {} };
      return { reply, fallback: () => reply };
    });
    service = await startTestService({
      env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", WEBHOOK_RETRY_SCHEDULE_SECONDS: "600" },
    });
  });
  afterAll(async () => {
    await service?.close();
    await endpoints?.close();
  });

  it("say by endpoint id whether it is enabled, how long it has failed and how far behind it is", async () => {
    const create = async (path: string) => {
      const response = await service.inject({
        method: "POST",
        url: "/api/webhooks/",
        payload: { url: `${endpoints.url}${path}?token=kept-out-of-labels`, events: ["notification.sent"] },
      });
      expect(response.statusCode, response.body).toBe(201);
      const { id } = response.json<{ id: number }>();
      expect((await service.inject({ method: "POST", url: `/api/webhooks/${id}/test/` })).statusCode).toBe(
        202,
      );
      return String(id);
    };
    const down = await create("/down");
    const up = await create("/up");
    const scrape = async () => {
      const response = await service.app.inject({ method: "GET", url: "/metrics" });
      expect(response.body).not.toContain("kept-out-of-labels");
      const samples = parsePrometheusText(response.body);
      const of = (endpoint: string) => {
        const value = (name: string) => sampleValue(samples, `${M}${name}`, { endpoint });
        return {
          enabled: value("webhook_endpoint_enabled"),
          failing: value("webhook_endpoint_failing_seconds")!,
          pending: value("webhook_deliveries_pending"),
          oldest: value("webhook_oldest_pending_seconds")!,
        };
      };
      return { down: of(down), up: of(up) };
    };
    // The failed test delivery waits 600 s for its next attempt.
    const failing = await waitFor("the failing endpoint's first failure", async () => {
      const now = await scrape();
      return now.down.failing > 0 && now.up.pending === 0 ? now : undefined;
    });
    expect(failing.up).toEqual({ enabled: 1, failing: 0, pending: 0, oldest: 0 });
    expect(failing.down).toMatchObject({ enabled: 1, pending: 1 });
    expect(failing.down.oldest).toBeGreaterThan(0);
    expect(failing.down.oldest).toBeLessThan(60);

    await service.core.pool.query(
      "UPDATE webhook_endpoints SET failing_since = now() - interval '1 hour' WHERE id = $1",
      [Number(down)],
    );
    expect((await scrape()).down.failing).toBeGreaterThanOrEqual(3600);
    const disabled = await service.inject({
      method: "PATCH",
      url: `/api/webhooks/${down}/`,
      payload: { enabled: false },
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect((await scrape()).down.enabled).toBe(0);
  });
});

describe("/readyz and /metrics when a dependency is down", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ worker: false, env: { DELIVERY_SANDBOX: "true" } });
  });
  afterAll(async () => {
    await service?.close();
  });

  const appWith = async (overrides: Record<string, string>) => {
    const config = parseConfig({ ...service.env, ...overrides });
    const core = createCore(config, silentLogger, 1);
    const app = await buildHttpApp({ core, config });
    if (!overrides.REDIS_URL) await redisConnected(core);
    return {
      app,
      async close() {
        await app.close();
        await core.close();
      },
    };
  };

  it("stays ready but says degraded when Redis does not answer, and leaves Redis' series out of /metrics", async () => {
    const down = await appWith({ REDIS_URL: "redis://127.0.0.1:1" });
    try {
      const response = await down.app.inject({ method: "GET", url: "/readyz" });
      // Redis is not needed to accept or deliver: a load balancer must keep sending requests.
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        status: "degraded",
        checks: { postgres: { status: "ok" }, redis: { status: "failed" } },
        channels: { sms: "sandbox", email: "sandbox", telegram: "sandbox" },
        delivery_sandbox: true,
      });
      const samples = parsePrometheusText((await down.app.inject({ method: "GET", url: "/metrics" })).body);
      expect(sampleValue(samples, `${M}metrics_source_up`, { source: "redis" })).toBe(0);
      expect(sampleValue(samples, `${M}metrics_source_up`, { source: "postgres" })).toBe(1);
      expect(sampleValue(samples, `${M}delivery_latency_seconds_count`, { channel: "sms" })).toBeUndefined();
      expect(sampleValue(samples, `${M}queue_notifications`, { state: "due" })).toBe(0);
      expect(sampleValue(samples, `${M}notifications_created_total`)).toBe(0);
    } finally {
      await down.close();
    }
  });

  it("answers 503 naming PostgreSQL when PostgreSQL does not answer", async () => {
    const down = await appWith({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere" });
    try {
      const response = await down.app.inject({ method: "GET", url: "/readyz" });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        status: "unavailable",
        checks: { postgres: { status: "failed", error: "ECONNREFUSED" }, redis: { status: "ok" } },
      });
    } finally {
      await down.close();
    }
  });
});

describe("delivery log lines", () => {
  const lines: Record<string, unknown>[] = [];
  let service: TestService;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    service = await startTestService({
      env: { DELIVERY_SANDBOX: "true" },
      logger: pino({ level: "debug" }, sink),
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  it("are JSON, and every one about a delivery names the notification, channel, round and outcome", async () => {
    const user = await service.createUser({ email: "logged@example.com", password: "correct horse battery" });
    const created = await service.createNotification({ user: user.id, message: "log me" });
    await service.waitForStatus(created.id, "sent");
    await waitFor("the sent line", () =>
      lines.some((line) => line.msg === "notification sent") ? true : undefined,
    );

    const about = lines.filter((line) => line.notificationId === created.id);
    expect(about.map((line) => [line.msg, line.channel, line.round, line.outcome])).toEqual([
      ["channel skipped", "sms", 1, "skipped"],
      ["delivered to provider", "email", 1, "sent"],
      ["notification sent", "email", 1, "sent"],
    ]);
    for (const line of about)
      expect(line).toMatchObject({ level: expect.any(Number), time: expect.any(Number) });
  });
});
