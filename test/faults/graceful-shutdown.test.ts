/**
 * SIGTERM during a delivery, to a worker process and to `npm start`'s parent (API + forked
 * worker): stop taking work, finish what is in flight within SHUTDOWN_GRACE_SECONDS, exit 0.
 */
import { getPriority } from "node:os";
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
});
