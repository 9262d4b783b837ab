/**
 * The service as a newcomer runs it: no DATABASE_URL and no REDIS_URL, so `npm start` serves the
 * API and runs the worker in one process on the embedded PostgreSQL, with in-process wake-ups.
 * Everything goes through the HTTP API of a real process (PostgreSQL is inside it), and the
 * providers are the loopback SMTP, SMS.ru and Telegram servers.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEventStream } from "../support/event-stream.js";
import { telegramReplies } from "../support/fake-telegram.js";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { request, type ServiceProcess, ServiceProcesses } from "../support/service-processes.js";
import { waitFor } from "../support/wait-for.js";

const API_KEY = "embedded-test-api-key-0123456789";
const auth = { authorization: `Bearer ${API_KEY}` };
const PHONE = "+79990001122";
const CHAT = "31337";
/** Throws, on SIGUSR2, an error that quotes the SMS.ru api_id (LoopbackProviders' "loopback-api-id"). */
const FATAL_ERROR_PRELOAD = fileURLToPath(new URL("../support/fatal-error-preload.ts", import.meta.url));

interface Running {
  process: ServiceProcess;
  url: string;
}

// Each test starts or restarts the real process, opening PostgreSQL in WebAssembly: seconds each,
// and more on a machine busy with other suites.
const SLOW = { timeout: 180_000 };

describe("the embedded mode: npm start with no database and no Redis configured", SLOW, () => {
  let providers: LoopbackProviders;
  let processes: ServiceProcesses;
  let dataDir: string;
  let service: Running;
  let userId: number;

  /** `npm start`'s entry on the suite's data folder, once it listens. */
  const start = async (env: Record<string, string> = {}, name = "start"): Promise<Running> => {
    const started = processes.start("start", { EMBEDDED_DATA_DIR: dataDir, ...env }, name);
    const line = await started.waitForLog(/^Server listening at http:\/\/127\.0\.0\.1:/, 90_000);
    return { process: started, url: /http:\/\/127\.0\.0\.1:\d+/.exec(String(line.msg))![0] };
  };
  const stop = async (running: Running) => {
    running.process.signal("SIGTERM");
    expect(await running.process.exited).toEqual({ code: 0, signal: null });
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(`${service.url}${path}`, { body, headers: { ...auth, ...headers }, timeoutMs: 60_000 });
  const get = (path: string) => request(`${service.url}${path}`, { headers: auth, timeoutMs: 60_000 });
  const notify = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await post("/api/notifications/", { user: userId, ...body }, headers);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.id as number;
  };
  const waitForStatus = (id: number, status: string, timeoutMs = 30_000) =>
    waitFor(
      `notification ${id} to be ${status}`,
      async () => {
        const { body } = await get(`/api/notifications/${id}/`);
        return body.status === status ? body : undefined;
      },
      timeoutMs,
      100,
    );

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    dataDir = mkdtempSync(join(tmpdir(), "ns-embedded-"));
    processes = new ServiceProcesses({
      API_KEYS: API_KEY,
      RETRY_DELAY_SECONDS: "0.5",
      PROVIDER_TIMEOUT_SECONDS: "5",
      SHUTDOWN_GRACE_SECONDS: "5",
      ...providers.env(),
    });
    service = await start();
  }, 120_000);

  afterAll(async () => {
    await processes?.stopAll();
    await providers?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("says loudly what it runs on, where the data lives and how to switch", () => {
    const line = service.process.lines.find((l) => /RUNNING ON the EMBEDDED PostgreSQL/.test(String(l.msg)));
    expect(line?.msg).toContain(`data in ${dataDir}`);
    expect(line?.msg).toMatch(/IN-PROCESS wake-ups/);
    expect(line?.msg).toMatch(/set DATABASE_URL .* and REDIS_URL/);
  });

  it("delivers a notification on each channel through the loopback providers", async () => {
    const user = await post("/api/users/", {
      email: "embedded@example.com",
      password: "long enough password",
      phone_number: PHONE,
      telegram_id: CHAT,
    });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    userId = user.body.id as number;

    const ids = await Promise.all(
      (["sms", "email", "telegram"] as const).map((channel) =>
        notify({ message: `over ${channel}`, subject: "Embedded", channels: [channel] }),
      ),
    );
    for (const id of ids) expect(await waitForStatus(id, "sent")).toMatchObject({ status: "sent" });
    expect(providers.smsRu.messages.map((r) => r.text)).toEqual(["over sms"]);
    expect(providers.smtp.mails.map((m) => [m.rcptTo, m.subject, m.text.trim()])).toEqual([
      [["embedded@example.com"], "Embedded", "over email"],
    ]);
    expect(providers.telegram.requests.map((r) => [String(r.body.chat_id), r.body.text])).toEqual([
      [CHAT, "over telegram"],
    ]);
  });

  it("streams live events, reports ready and serves the latency histogram, all from this one process", async () => {
    const reader = await readEventStream(`${service.url}/api/notifications/events/`, API_KEY);
    try {
      await reader.waitFor("the stream to be live", (event) => event.event === "ready");
      const id = await notify({ message: "watch me", channels: ["email"] });
      await reader.waitFor(
        "sent",
        (e) => e.event === "updated" && e.data.id === id && e.data.status === "sent",
      );
      // A user's id can equal a notification's: only the notification's events count.
      const kinds = reader.events
        .filter((e) => e.event !== "user" && e.data.id === id)
        .map((e) => `${e.event}:${e.data.status}`);
      expect(kinds).toEqual(["created:pending", "attempt:in_progress", "attempt:sent", "updated:sent"]);
    } finally {
      reader.close();
    }
    const ready = await request(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: "ok",
      checks: { postgres: { status: "ok" }, redis: { status: "in_process" } },
    });
    const metrics = await fetch(`${service.url}/metrics`).then((response) => response.text());
    const sentByEmail = /^\w*delivery_latency_seconds_count\{channel="email"\} (\d+)/m.exec(metrics);
    expect(Number(sentByEmail?.[1])).toBeGreaterThanOrEqual(2);
  });

  it("retries a round that failed, and lets an operator cancel and retry", async () => {
    providers.reset();
    providers.telegram.replyNext(telegramReplies.serverError());
    const retried = await notify({ message: "second time lucky", channels: ["telegram"] });
    const sent = await waitForStatus(retried, "sent");
    expect(sent.retry_count).toBe(1);
    expect(providers.telegram.sentTexts()).toEqual(["second time lucky", "second time lucky"]);

    // Telegram asks for a minute's pause: the notification waits, pending, until cancelled.
    providers.telegram.replyNext(telegramReplies.tooManyRequests(60));
    const waiting = await notify({ message: "cancel me", channels: ["telegram"] });
    await waitFor("the first round to be refused", () =>
      providers.telegram.sentTexts().includes("cancel me") ? true : undefined,
    );
    const cancelled = await post(`/api/notifications/${waiting}/cancel/`, {});
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    const retry = await post(`/api/notifications/${waiting}/retry/`, {});
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    await waitForStatus(waiting, "sent");
    expect(providers.telegram.sentTexts().filter((text) => text === "cancel me")).toHaveLength(2);
  });

  it("accepts a burst of 200 concurrent creates and delivers every one", async () => {
    providers.reset();
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        post("/api/notifications/", { user: userId, message: `burst ${i}`, channels: ["sms"] }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(new Array(200).fill(201));
    await waitFor(
      "every burst notification to reach SMS.ru",
      () => (providers.smsRu.messages.length >= 200 ? true : undefined),
      60_000,
      100,
    );
    const texts = providers.smsRu.messages.map((r) => r.text).sort();
    expect(new Set(texts).size).toBe(200);
    // The provider answered each; their attempts are recorded a moment later.
    await waitFor("every burst notification to be recorded as sent", async () => {
      const list = await get(`/api/notifications/?user=${userId}&status=pending&page_size=1`);
      return list.body.count === 0 ? true : undefined;
    });
  });

  it("rides out a retry storm: 60 notifications whose first round fails all come back and are sent once", async () => {
    providers.reset();
    // Each message's first call fails, whenever it comes: queued replies were taken in call order,
    // so a retry that came before another notification's first call took that call's failure.
    const seen = new Set<string>();
    providers.smsRu.replyBy((messages) => {
      const firstTime = Object.values(messages).filter((text) => !seen.has(text));
      for (const text of firstTime) seen.add(text);
      return firstTime.length > 0 ? { status: 500, raw: "Internal Server Error" } : undefined;
    });
    const ids = await Promise.all(
      Array.from({ length: 60 }, (_, i) => notify({ message: `storm ${i}`, channels: ["sms"] })),
    );
    for (const id of ids) expect((await waitForStatus(id, "sent")).retry_count).toBe(1);
    const texts = providers.smsRu.messages.map((r) => r.text);
    expect(texts).toHaveLength(120);
    expect(new Set(texts).size).toBe(60);
  });

  it("creates one notification for concurrent requests with the same Idempotency-Key", async () => {
    providers.reset();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        post(
          "/api/notifications/",
          { user: userId, message: "exactly once", channels: ["email"] },
          { "idempotency-key": "embedded-race-1" },
        ),
      ),
    );
    expect(responses.map((r) => r.status).every((status) => status === 201 || status === 200)).toBe(true);
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    await waitForStatus([...ids][0] as number, "sent");
    expect(providers.smtp.mails.filter((m) => m.text.trim() === "exactly once")).toHaveLength(1);
  });

  it("fans out a broadcast from a template (read outside the batch's transaction), and renders single notifications from remembered rows", async () => {
    providers.reset();
    const template = await post("/api/templates/", {
      key: "embedded-greeting",
      default_locale: "en",
      locales: { en: { email: { subject: "Hi", text: "Hello {{ data.name }}" } } },
    });
    expect(template.status, JSON.stringify(template.body)).toBe(201);
    const broadcast = await post("/api/broadcasts/", {
      users: [userId],
      template: "embedded-greeting",
      data: { name: "broadcast" },
      channels: ["email"],
    });
    expect(broadcast.status, JSON.stringify(broadcast.body)).toBe(202);
    const done = await waitFor(
      "the broadcast to be fanned out and sent",
      async () => {
        const { body } = await get(`/api/broadcasts/${broadcast.body.id}/`);
        return body.status === "done" && (body.counts as Record<string, number>).sent === 1
          ? body
          : undefined;
      },
      20_000,
      100,
    );
    expect(done.fanned_out).toBe(1);
    expect(providers.smtp.mails.map((m) => m.text.trim())).toEqual(["Hello broadcast"]);

    // Single notifications: the second renders from the remembered recipient and template, its
    // INSERT checking their row versions (xmin) on the embedded PostgreSQL too; a template saved
    // since is seen by the next one.
    const send = async (name: string) => {
      const created = await post("/api/notifications/", {
        user: userId,
        template: "embedded-greeting",
        data: { name },
        channels: ["email"],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body;
    };
    expect((await send("first")).message).toBe("Hello first");
    expect((await send("second")).message).toBe("Hello second");
    const saved = await request(`${service.url}/api/templates/embedded-greeting/`, {
      method: "PUT",
      body: {
        default_locale: "en",
        locales: { en: { email: { subject: "Hi", text: "Welcome {{ data.name }}" } } },
      },
      headers: auth,
      timeoutMs: 60_000,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const third = await send("third");
    expect(third.message).toBe("Welcome third");
    await waitForStatus(third.id as number, "sent");
  });

  it("turns a second process on the same data folder away with one clear line", async () => {
    const second = processes.start("start", { EMBEDDED_DATA_DIR: dataDir }, "second");
    expect((await second.exited).code).toBe(1);
    expect(second.text.join("\n")).toMatch(
      new RegExp(`embedded database in ${dataDir} is in use by process ${service.process.pid}`),
    );
    // The first one is untouched.
    expect((await get("/healthz")).status).toBe(200);
  });

  it("keeps everything across a clean restart", async () => {
    const before = await notify({ message: "before the restart", channels: ["sms"] });
    await waitForStatus(before, "sent");
    await stop(service);
    service = await start({}, "restarted");
    expect((await get(`/api/notifications/${before}/`)).body).toMatchObject({
      id: before,
      status: "sent",
      message: "before the restart",
    });
    const after = await notify({ message: "after the restart", channels: ["sms"] });
    await waitForStatus(after, "sent");
  });

  it("stops as on SIGTERM after an error nothing caught: logged once and redacted, the call in flight recorded, the database closed, exit 1", async () => {
    await stop(service);
    const crashing = processes.start(
      "start",
      { EMBEDDED_DATA_DIR: dataDir },
      "fatal",
      [],
      [FATAL_ERROR_PRELOAD],
    );
    const listening = await crashing.waitForLog(/^Server listening at http:\/\/127\.0\.0\.1:/, 90_000);
    service = { process: crashing, url: /http:\/\/127\.0\.0\.1:\d+/.exec(String(listening.msg))![0] };
    const user = await post("/api/users/", {
      email: "fatal@example.com",
      password: "long enough password",
      phone_number: PHONE,
    });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    providers.smsRu.replyNext({ hangMs: 2_000 });
    const created = await post("/api/notifications/", {
      user: user.body.id,
      message: "in flight at a fatal error",
      channels: ["sms"],
    });
    expect(created.status).toBe(201);
    const sentCount = () =>
      providers.smsRu.messages.filter((m) => m.text === "in flight at a fatal error").length;
    await waitFor("SMS.ru to get it", () => (sentCount() === 1 ? true : undefined));

    crashing.signal("SIGUSR2");
    expect(await crashing.exited).toEqual({ code: 1, signal: null });
    const fatal = crashing.lines.filter((line) => line.level === 60);
    expect(fatal.map((line) => line.msg)).toEqual(["uncaught exception; shutting down"]);
    expect((fatal[0]!.err as { message: string }).message).toContain("api_id=[REDACTED]");
    const output = [...crashing.lines.map((line) => JSON.stringify(line)), ...crashing.text].join("\n");
    expect(output).not.toContain("loopback-api-id");
    // The whole stop ran: the worker's call recorded, PostgreSQL shut down, the folder's lock released.
    expect(existsSync(join(dataDir, "lock"))).toBe(false);

    service = await start({}, "after the fatal error");
    const stored = await get(`/api/notifications/${created.body.id}/`);
    expect(stored.body).toMatchObject({ status: "sent" });
    expect((stored.body.attempts as { status: string }[]).map((a) => a.status)).toEqual(["sent"]);
    expect(sentCount()).toBe(1);
  });

  it("loses no answered notification when killed with SIGKILL, and delivers them after a restart that one of three concurrent starts wins", async () => {
    providers.reset();
    const answered: number[] = [];
    let stopped = false;
    const writers = Array.from({ length: 4 }, async (_, writer) => {
      for (let i = 0; !stopped; i++) {
        const response = await post("/api/notifications/", {
          user: userId,
          message: `kill ${writer}-${i}`,
          channels: ["sms"],
        }).catch(() => null);
        if (response?.status === 201) answered.push(response.body.id as number);
      }
    });
    await waitFor("some notifications to be answered", () => (answered.length >= 40 ? true : undefined));
    service.process.killTree();
    stopped = true;
    await service.process.exited;
    await Promise.all(writers);

    // Three starts at once find the dead process's lock: one takes the folder over, the others
    // are turned away by it, in the same one line as any second process.
    const starting = ["after-kill-1", "after-kill-2", "after-kill-3"].map((name) =>
      processes.start("start", { EMBEDDED_DATA_DIR: dataDir }, name),
    );
    const outcomes = await Promise.all(
      starting.map((started) =>
        waitFor(
          `${started.name} to listen or exit`,
          () => {
            if (started.lines.some((l) => /^Server listening at /.test(String(l.msg)))) return "listening";
            return started.exit ? "exited" : undefined;
          },
          90_000,
          50,
        ),
      ),
    );
    const listening = starting.filter((_, i) => outcomes[i] === "listening");
    expect(listening, processes.describe()).toHaveLength(1);
    const [winner] = listening;
    for (const loser of starting.filter((started) => started !== winner)) {
      expect((await loser.exited).code).toBe(1);
      expect(loser.text.join("\n")).toContain(
        `embedded database in ${dataDir} is in use by process ${winner!.pid}; one process at a time may open it.`,
      );
    }
    const line = await winner!.waitForLog(/^Server listening at http:\/\/127\.0\.0\.1:/);
    service = { process: winner!, url: /http:\/\/127\.0\.0\.1:\d+/.exec(String(line.msg))![0] };
    for (const id of answered) await waitForStatus(id, "sent");
    expect(answered.length).toBeGreaterThanOrEqual(40);
  });

  it("refuses to run the API or the worker alone, saying why", async () => {
    const commands = [
      ["api", [], "npm run start:api"],
      ["worker", [], "npm run start:worker"],
      ["cli", ["worker"], "notification-service worker"],
    ] as const;
    for (const [entry, args, command] of commands) {
      const alone = processes.start(entry, { EMBEDDED_DATA_DIR: dataDir }, `${entry}-alone`, [...args]);
      expect((await alone.exited).code).toBe(1);
      expect(alone.text.join("\n")).toContain(
        `${command} runs one half of the service, but the database is the embedded one`,
      );
      expect(alone.text.join("\n")).toMatch(/: run `npm start`/);
    }
  });

  it("refuses the embedded database in production unless opted in", async () => {
    const production = processes.start("start", { NODE_ENV: "production" }, "production");
    expect((await production.exited).code).toBe(1);
    expect(production.text.join("\n")).toMatch(
      /NODE_ENV=production and no database is configured: set DATABASE_URL .*EMBEDDED_DATABASE_IN_PRODUCTION=true/,
    );
  });
});

describe(
  "a fresh folder and no variables at all, as after `git clone && npm install && npm start`",
  SLOW,
  () => {
    let processes: ServiceProcesses;

    beforeAll(() => {
      // Only what the test harness must set: PATH, HOME, a free port on loopback, NODE_ENV=test.
      processes = new ServiceProcesses({});
    });
    afterAll(async () => {
      await processes?.stopAll();
    });

    const start = async (name: string) => {
      const started = processes.start("start", {}, name);
      const line = await started.waitForLog(/^Server listening at http:\/\/127\.0\.0\.1:/, 90_000);
      return { process: started, url: /http:\/\/127\.0\.0\.1:\d+/.exec(String(line.msg))![0] };
    };

    it("delivers into the sandbox outbox, keeps it in ./data and loses nothing to SIGKILL", async () => {
      const first = await start("first");
      // With no key configured, start-up makes one and shows it once.
      const key = /nsk_[\w-]+/.exec(first.process.text.join("\n"))?.[0];
      expect(key).toBeDefined();
      const headers = { authorization: `Bearer ${key}` };
      const user = await request(`${first.url}/api/users/`, {
        body: { email: "newcomer@example.com", password: "long enough password" },
        headers,
      });
      expect(user.status).toBe(201);
      const created = await request(`${first.url}/api/notifications/`, {
        body: { user: user.body.id, message: "hello from a fresh clone" },
        headers,
      });
      expect(created.status).toBe(201);
      const outbox = await waitFor("the outbox to hold the message", async () => {
        const { body } = await request(`${first.url}/api/outbox/`, { headers });
        return (body.count as number) > 0 ? body : undefined;
      });
      expect(outbox.results).toMatchObject([
        {
          notification: created.body.id,
          channel: "email",
          to: "newcomer@example.com",
          text: "hello from a fresh clone",
        },
      ]);
      const line = first.process.lines.find((l) => /RUNNING ON the EMBEDDED PostgreSQL/.test(String(l.msg)));
      expect(line?.msg).toMatch(/data in \/.*\/data\)/);
      // The sandbox writes the outbox as its provider call, before the attempt's outcome is
      // recorded: what must survive the kill is the notification once it reads sent.
      await waitFor("the notification to be sent", async () => {
        const { body } = await request(`${first.url}/api/notifications/${created.body.id}/`, { headers });
        return body.status === "sent" ? body : undefined;
      });

      first.process.killTree();
      await first.process.exited;
      const second = await start("after-kill");
      const kept = await request(`${second.url}/api/notifications/${created.body.id}/`, { headers });
      expect(kept.body).toMatchObject({ status: "sent", message: "hello from a fresh clone" });
      expect((await request(`${second.url}/api/outbox/`, { headers })).body.count).toBe(1);
    });
  },
);
