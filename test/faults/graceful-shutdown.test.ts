/**
 * SIGTERM during a delivery, to a worker process and to `npm start`'s parent (API + forked
 * worker): stop taking work, finish what is in flight within SHUTDOWN_GRACE_SECONDS, exit 0.
 */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { getPriority } from "node:os";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EventStreamReader, readEventStream } from "../support/event-stream.js";
import { API_KEY, type FaultApi, FaultFixture } from "../support/fault-fixture.js";
import { waitFor } from "../support/wait-for.js";

const arrived = (fixture: FaultFixture, message: string, count = 1) =>
  waitFor(`SMS.ru to get ${JSON.stringify(message)}`, () =>
    fixture.sent(message) === count ? true : undefined,
  );

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Bytes the kernel holds between the two ends of a loopback TCP connection: what the server's
 * socket has not had acknowledged, plus what the client's socket received and nobody read
 * (/proc/net/tcp's tx_queue and rx_queue).
 */
const queuedBetween = (serverPort: number, clientPort: number) => {
  const hex = (port: number) => `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  let bytes = 0;
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const [, local = "", remote = "", , queues = ""] = line.trim().split(/\s+/);
    const [tx = 0, rx = 0] = queues.split(":").map((value) => Number.parseInt(value, 16));
    if (local.endsWith(hex(serverPort)) && remote.endsWith(hex(clientPort))) bytes += tx;
    if (local.endsWith(hex(clientPort)) && remote.endsWith(hex(serverPort))) bytes += rx;
  }
  return bytes;
};

/** Reads from `socket` until `text` has come, then stops reading for good. */
const readUntilThenStop = (socket: Socket, text: string) =>
  new Promise<void>((resolve) => {
    let received = "";
    const onData = (chunk: Buffer) => {
      received += chunk.toString("utf8");
      if (!received.includes(text)) return;
      socket.pause();
      socket.off("data", onData);
      resolve();
    };
    socket.on("data", onData);
  });

describe("SIGTERM", () => {
  let fixture: FaultFixture;
  let apiUrl: string;
  let api: FaultApi;
  let user: number;
  const streams: EventStreamReader[] = [];

  beforeAll(async () => {
    fixture = await FaultFixture.create();
    ({ url: apiUrl } = await fixture.processes.startApi());
    api = fixture.api(apiUrl);
    user = await api.createUser("sigterm@example.com");
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await fixture?.close();
  });

  it("lets the worker finish the delivery in flight, take nothing new, and exit 0", async () => {
    const worker = await fixture.processes.startWorker({}, "worker-1");
    fixture.smsRu.replyNext({ hangMs: 2_000 });
    const inFlight = await api.createNotification(user, "in flight at SIGTERM");
    await arrived(fixture, "in flight at SIGTERM");

    worker.signal("SIGTERM");
    const later = await api.createNotification(user, "created while stopping");
    const exit = await worker.exited;
    expect(exit).toEqual({ code: 0, signal: null });

    const finished = await fixture.state(inFlight);
    expect(finished.status).toBe("sent");
    expect(finished.attempts.map((a) => a.status)).toEqual(["sent"]);
    expect(fixture.sent("created while stopping")).toBe(0);
    expect(await fixture.inProgressAttempts()).toBe(0);

    const next = await fixture.processes.startWorker({}, "worker-2");
    await fixture.waitForStatus(later, "sent");
    expect(fixture.sent("created while stopping")).toBe(1);
    expect(fixture.sent("in flight at SIGTERM")).toBe(1);
    next.signal("SIGTERM");
    expect(await next.exited).toEqual({ code: 0, signal: null });
  });

  it("past SHUTDOWN_GRACE_SECONDS, exits anyway, records the call as interrupted and frees the notification", async () => {
    const events = await readEventStream(`${apiUrl}/api/notifications/events/`, API_KEY);
    streams.push(events);
    await events.waitFor("the stream to be live", (event) => event.event === "ready");
    const worker = await fixture.processes.startWorker({ SHUTDOWN_GRACE_SECONDS: "1" }, "worker-3");
    fixture.smsRu.replyNext({ hangMs: 60_000 });
    const id = await api.createNotification(user, "slower than the grace");
    await arrived(fixture, "slower than the grace");

    const signalledAt = Date.now();
    worker.signal("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(6_000);
    const left = await fixture.state(id);
    expect(left.attempts.map((a) => a.status)).toEqual(["interrupted"]);
    // Freed, not left to run out its lease: the next worker may take it at once.
    const { rows } = await fixture.pool.query("SELECT lease_owner FROM notifications WHERE id = $1", [id]);
    expect(rows[0].lease_owner).toBeNull();
    // And announced, so a dashboard showing it reloads it: pending again, its attempt interrupted.
    await events.waitFor(
      "the freed notification",
      (event) => event.event === "updated" && event.data.id === id,
    );
    expect(
      events.events
        // A user's id can equal a notification's: only the notification's events count.
        .filter((event) => event.event !== "user" && event.data.id === id)
        .map((event) => `${event.event}:${event.data.status}`),
    ).toEqual(["created:pending", "attempt:in_progress", "updated:pending"]);

    const next = await fixture.processes.startWorker({}, "worker-4");
    const done = await fixture.waitForStatus(id, "sent");
    expect(done.attempts.map((a) => a.status)).toEqual(["interrupted", "sent"]);
    expect(fixture.sent("slower than the grace")).toBe(2);
    next.signal("SIGTERM");
    expect(await next.exited).toEqual({ code: 0, signal: null });
  });

  it("stops `npm start` (API and forked worker) cleanly during a delivery", async () => {
    const start = fixture.processes.start("start", {}, "start");
    const listening = await start.waitForLog(/^Server listening at /);
    const workerLine = await start.waitForLog(/^delivery worker started$/);
    const workerPid = Number(workerLine.pid);
    expect(workerPid).not.toBe(start.pid);
    const startApi = fixture.api(/http:\/\/127\.0\.0\.1:\d+/.exec(String(listening.msg))![0]);

    fixture.smsRu.replyNext({ hangMs: 1_500 });
    const id = await startApi.createNotification(user, "in flight at npm start's SIGTERM");
    await arrived(fixture, "in flight at npm start's SIGTERM");
    start.signal("SIGTERM");
    expect(await start.exited).toEqual({ code: 0, signal: null });
    await waitFor("the forked worker to exit", () => (isAlive(workerPid) ? undefined : true), 5_000);
    expect(await fixture.inProgressAttempts()).toBe(0);
    // The forked worker was the only one running: it finished the call before exiting.
    const state = await fixture.state(id);
    expect(state.status).toBe("sent");
    expect(state.attempts.map((a) => a.status)).toEqual(["sent"]);
  });

  it("runs `npm start`'s worker WORKER_NICE below the API, so requests get the CPU first", async () => {
    const start = fixture.processes.start("start", { WORKER_NICE: "7" }, "start-nice");
    await start.waitForLog(/^Server listening at /);
    const workerLine = await start.waitForLog(/^delivery worker started$/);
    const workerPid = Number(workerLine.pid);
    const apiNice = getPriority(start.pid);
    expect(getPriority(workerPid)).toBe(Math.min(19, apiNice + 7));
    expect(workerLine.nice).toBe(Math.min(19, apiNice + 7));
    start.signal("SIGTERM");
    expect(await start.exited).toEqual({ code: 0, signal: null });
  });

  it("stops the forked worker when `npm start`'s process is killed outright, after its call", async () => {
    const start = fixture.processes.start("start", {}, "start-killed");
    const listening = await start.waitForLog(/^Server listening at /);
    const workerLine = await start.waitForLog(/^delivery worker started$/);
    const workerPid = Number(workerLine.pid);
    const startApi = fixture.api(/http:\/\/127\.0\.0\.1:\d+/.exec(String(listening.msg))![0]);

    fixture.smsRu.replyNext({ hangMs: 1_500 });
    const id = await startApi.createNotification(user, "in flight when npm start was killed");
    await arrived(fixture, "in flight when npm start was killed");
    // The parent alone, as the OOM killer would: not its process group.
    process.kill(start.pid, "SIGKILL");
    expect(await start.exited).toEqual({ code: null, signal: "SIGKILL" });
    await waitFor("the orphaned worker to stop", () => (isAlive(workerPid) ? undefined : true), 15_000);
    expect(await fixture.inProgressAttempts()).toBe(0);
    const state = await fixture.state(id);
    expect(state.status).toBe("sent");
    expect(state.attempts.map((a) => a.status)).toEqual(["sent"]);
  });

  it("exits 0 within the grace period although a live event stream's client stopped reading", async () => {
    // A client that stays connected and reads nothing (a suspended laptop, a stuck proxy), with the
    // kernel's buffers between it and the API full: the stream cannot end, as the end waits for
    // the client to read what is still buffered. server.close() cuts such a connection by itself
    // while it is idle (its one response ended), so this client also begins a second request.
    const { process: stalled, url } = await fixture.processes.startApi(
      { SHUTDOWN_GRACE_SECONDS: "2" },
      "api with a stalled stream",
    );
    const { hostname, port } = new URL(url);
    const client = connect(Number(port), hostname);
    client.on("error", () => {});
    const redis = new Redis(fixture.redisUrl);
    try {
      await new Promise((resolve) => client.once("connect", resolve));
      client.write(
        `GET /api/notifications/events/ HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${API_KEY}\r\n\r\n`,
      );
      await readUntilThenStop(client, "event: ready");
      // The start of a second request behind the stream (HTTP/1.1 pipelining): the connection is
      // then busy in Node's eyes, and server.close() waits for it.
      client.write(`GET /livez HTTP/1.1\r\nHost: ${hostname}\r\n`);
      // Events as every process publishes them, 256 KiB a step, until what the kernel holds stops
      // growing, then two steps of 64 KiB: the API's process then buffers at most 384 KiB itself,
      // well under the 1 MiB past which it would cut the stream on its own.
      const event = { type: "updated", id: 1, status: "x".repeat(32 * 1024) };
      let most = 0;
      let flat = 0;
      for (let step = 0; step < 200 && flat < 3; step++) {
        const events = Array.from({ length: flat === 0 ? 8 : 2 }, () => event);
        await redis.publish(`${fixture.redisPrefix}:notification-events`, JSON.stringify(events));
        await new Promise((resolve) => setTimeout(resolve, 100));
        const queued = queuedBetween(Number(port), client.localPort!);
        flat = queued > most ? 0 : flat + 1;
        most = Math.max(most, queued);
      }
      expect(flat).toBe(3);
      expect(most).toBeGreaterThan(64 * 1024);

      stalled.signal("SIGTERM");
      expect(await stalled.exited, stalled.tail()).toEqual({ code: 0, signal: null });
      expect(stalled.lines.some((line) => line.msg === "shutdown took too long; exiting")).toBe(false);
    } finally {
      client.destroy();
      redis.disconnect();
    }
  }, 60_000);
});
