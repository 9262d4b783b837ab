/**
 * An error nothing caught, thrown while provider calls are in flight by a module preloaded into the
 * real process (fatal-error-preload.ts, on SIGUSR2), as a bug would: in a worker, in the worker
 * `npm start` forks and in `npm start`'s API process. Each must log it once, at level fatal and
 * redacted (it quotes the SMS.ru api_id), stop as on SIGTERM (the calls in flight finish and are
 * recorded, a second error while stopping starts no second stop) and exit 1; restarted, the
 * service sends every notification exactly once.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultApi, FaultFixture } from "../support/fault-fixture.js";
import type { LogLine, ServiceProcess } from "../support/service-processes.js";
import { waitFor } from "../support/wait-for.js";

const PRELOAD = [fileURLToPath(new URL("../support/fatal-error-preload.ts", import.meta.url))];
/** FaultFixture's SMS_RU_API_ID, which the preloaded module puts into the errors it throws. */
const API_ID = "fault-test-api-id";
const FATAL = 60;
const ERROR = 50;
const TEST_TIMEOUT_MS = 90_000;

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Everything a process (and what it forked, sharing its output) wrote: log lines and raw text. */
const outputOf = (service: ServiceProcess) =>
  [...service.lines.map((line) => JSON.stringify(line)), ...service.text].join("\n");

const errOf = (line: LogLine | undefined) => (line?.err ?? {}) as { message?: string; stack?: string };

describe("an error nothing caught", () => {
  let fixture: FaultFixture;
  let user: number;

  beforeAll(async () => {
    fixture = await FaultFixture.create();
    const { process: setup, url } = await fixture.processes.startApi({}, "setup-api");
    user = await fixture.api(url).createUser("fatal@example.com");
    setup.signal("SIGTERM");
    await setup.exited;
  });
  afterAll(async () => {
    await fixture?.close();
  });

  /** Creates notifications whose SMS.ru calls take `hangMs`, and waits until each call has arrived. */
  const inFlight = async (api: FaultApi, messages: string[], hangMs: number) => {
    fixture.smsRu.replyNext(...messages.map(() => ({ hangMs })));
    const ids = await Promise.all(messages.map((message) => api.createNotification(user, message)));
    await waitFor("SMS.ru to get every call", () =>
      messages.every((message) => fixture.sent(message) === 1) ? true : undefined,
    );
    return ids;
  };

  /** The lines `pid` logged at `level`. */
  const logged = (service: ServiceProcess, pid: number, level: number) =>
    service.lines.filter((line) => line.pid === pid && line.level === level);

  const expectFatalOnce = (service: ServiceProcess, pid: number, reason: string) => {
    const fatal = logged(service, pid, FATAL);
    expect(fatal, service.tail(40)).toHaveLength(1);
    expect(fatal[0]!.msg).toBe(`${reason}; shutting down`);
    expect(errOf(fatal[0]).message).toBe("request to https://sms.ru/sms/send?api_id=[REDACTED] failed (1)");
    expect(errOf(fatal[0]).stack).toContain("api_id=[REDACTED]");
    // The second error came while stopping: logged, but it started no second stop.
    const later = logged(service, pid, ERROR).filter((line) => /while shutting down/.test(String(line.msg)));
    expect(later.map((line) => errOf(line).message)).toEqual([
      "request to https://sms.ru/sms/send?api_id=[REDACTED] failed (2)",
    ]);
    expect(outputOf(service)).not.toContain("shutdown took too long");
    expect(outputOf(service)).not.toContain(API_ID);
  };

  const expectSentOnce = async (ids: number[], messages: string[]) => {
    for (const id of ids) {
      const done = await fixture.waitForStatus(id, "sent");
      expect(done.attempts.map((a) => a.status)).toEqual(["sent"]);
    }
    for (const message of messages) expect(fixture.sent(message), message).toBe(1);
  };

  it(
    "in a worker: logged once, redacted; its calls in flight finish and are recorded; exit 1",
    async () => {
      const { url } = await fixture.processes.startApi({}, "api");
      const api = fixture.api(url);
      const worker = await fixture.processes.startWorker({}, "worker-thrown", PRELOAD);
      const messages = ["worker error 1", "worker error 2", "worker error 3"];
      const ids = await inFlight(api, messages, 2_000);

      worker.signal("SIGUSR2");
      await worker.waitForLog(/^uncaught exception; shutting down$/);
      const later = await api.createNotification(user, "created while the worker stopped");
      expect(await worker.exited).toEqual({ code: 1, signal: null });

      expectFatalOnce(worker, worker.pid, "uncaught exception");
      // Finished and recorded before it exited, not left in progress to be sent again.
      expect(await fixture.inProgressAttempts()).toBe(0);
      for (const id of ids) expect((await fixture.state(id)).attempts.map((a) => a.status)).toEqual(["sent"]);
      expect(fixture.sent("created while the worker stopped")).toBe(0);

      const next = await fixture.processes.startWorker({}, "worker-restarted");
      await expectSentOnce([...ids, later], [...messages, "created while the worker stopped"]);
      next.signal("SIGTERM");
      expect(await next.exited).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "in `npm start`'s worker (an unhandled rejection): the same, and the parent restarts it",
    async () => {
      const start = fixture.processes.start("start", { FATAL_ERROR_KIND: "rejection" }, "start", [], PRELOAD);
      const listening = await start.waitForLog(/^Server listening at /);
      const workerPid = Number((await start.waitForLog(/^delivery worker started$/)).pid);
      const api = fixture.api(/http:\/\/127\.0\.0\.1:\d+/.exec(String(listening.msg))![0]);
      const messages = ["forked worker error 1", "forked worker error 2"];
      const ids = await inFlight(api, messages, 2_000);

      process.kill(workerPid, "SIGUSR2");
      const restarted = await waitFor(
        "the parent to restart the worker",
        () => start.lines.find((line) => line.msg === "delivery worker started" && line.pid !== workerPid),
        30_000,
        50,
      );
      const exited = start.lines.find((line) => line.msg === "delivery worker exited; restarting it");
      expect(exited).toMatchObject({ pid: start.pid, code: 1, signal: null });
      expect(Number(restarted.pid)).not.toBe(workerPid);
      expect(isAlive(workerPid)).toBe(false);
      expect(await fixture.inProgressAttempts()).toBe(0);
      for (const id of ids) expect((await fixture.state(id)).attempts.map((a) => a.status)).toEqual(["sent"]);

      const after = await api.createNotification(user, "after the worker was restarted");
      await expectSentOnce([...ids, after], [...messages, "after the worker was restarted"]);
      expectFatalOnce(start, workerPid, "unhandled rejection");
      // The API process went on serving throughout.
      expect(start.running).toBe(true);
      start.signal("SIGTERM");
      expect(await start.exited).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "in `npm start`'s API process: stops its worker after the calls in flight, exits 1; restarted, sends nothing twice",
    async () => {
      const start = fixture.processes.start("start", {}, "start-api-thrown", [], PRELOAD);
      const listening = await start.waitForLog(/^Server listening at /);
      const workerPid = Number((await start.waitForLog(/^delivery worker started$/)).pid);
      const api = fixture.api(/http:\/\/127\.0\.0\.1:\d+/.exec(String(listening.msg))![0]);
      const messages = ["api process error 1", "api process error 2"];
      const ids = await inFlight(api, messages, 2_000);

      start.signal("SIGUSR2");
      expect(await start.exited).toEqual({ code: 1, signal: null });
      await waitFor("its worker to exit", () => (isAlive(workerPid) ? undefined : true), 5_000);
      expectFatalOnce(start, start.pid, "uncaught exception");
      // The worker was stopped as on SIGTERM, not left to notice its parent gone.
      expect(
        start.lines.some(
          (line) => line.pid === workerPid && line.msg === "shutting down" && line.reason === "SIGTERM",
        ),
      ).toBe(true);
      expect(await fixture.inProgressAttempts()).toBe(0);
      for (const id of ids) expect((await fixture.state(id)).attempts.map((a) => a.status)).toEqual(["sent"]);

      // Restarted, as a supervisor would.
      const again = fixture.processes.start("start", {}, "start-restarted");
      const relistening = await again.waitForLog(/^Server listening at /);
      await again.waitForLog(/^delivery worker started$/);
      const restartedApi = fixture.api(/http:\/\/127\.0\.0\.1:\d+/.exec(String(relistening.msg))![0]);
      const after = await restartedApi.createNotification(user, "after npm start was restarted");
      await expectSentOnce([...ids, after], [...messages, "after npm start was restarted"]);
      again.signal("SIGTERM");
      expect(await again.exited).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );
});
