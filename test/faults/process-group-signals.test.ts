/**
 * SIGTERM and SIGINT sent to the whole process group of `npm start`, as systemd's default stop
 * (KillMode=control-group), a container runtime and Ctrl-C in a terminal send them: npm, its
 * shell, the API's process and the forked worker all get the signal at the same moment, and npm
 * forwards it once more. That must drain exactly like a SIGTERM to the API's process alone: the
 * calls in flight finish and are recorded, nothing is sent twice, npm exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaultFixture } from "../support/fault-fixture.js";
import type { ServiceProcess } from "../support/service-processes.js";
import { waitFor } from "../support/wait-for.js";

const SHUTDOWN_GRACE_SECONDS = 8;
const IN_FLIGHT = 10;
// About 6 s alone; starting npm, tsx and two node processes takes far longer on a busy machine.
const TEST_TIMEOUT_MS = 60_000;

describe("a signal to `npm start`'s whole process group", () => {
  let fixture: FaultFixture;
  const users: number[] = [];

  beforeAll(async () => {
    fixture = await FaultFixture.create({
      telegram: true,
      env: { CHANNEL_ORDER: "telegram", SHUTDOWN_GRACE_SECONDS: String(SHUTDOWN_GRACE_SECONDS) },
    });
    // A chat each: Telegram's limit of one message a second per chat must not pace the batch.
    const { process: setup, url } = await fixture.processes.startApi({}, "setup-api");
    const api = fixture.api(url);
    for (let i = 0; i < IN_FLIGHT; i++) {
      users.push(await api.createUser(`group-${i}@example.com`, { telegram_id: String(7_000_100 + i) }));
    }
    setup.signal("SIGTERM");
    await setup.exited;
  });
  afterAll(async () => {
    await fixture?.close();
  });

  const startService = async (name: string) => {
    const start = fixture.processes.startNpmStart({}, name);
    const listening = await start.waitForLog(/^Server listening at /);
    await start.waitForLog(/^delivery worker started$/);
    return { start, api: fixture.api(/http:\/\/127\.0\.0\.1:\d+/.exec(String(listening.msg))![0]) };
  };

  const groupGone = (start: ServiceProcess) =>
    waitFor(
      `every process of ${start.name}'s group to exit`,
      () => (start.groupAlive ? undefined : true),
      (SHUTDOWN_GRACE_SECONDS + 6) * 1000,
      50,
    );

  it("a worker that hears SIGTERM twice during a call, as from the kernel and then its parent, still drains", async () => {
    const worker = await fixture.processes.startWorker({}, "worker signalled twice");
    fixture.telegram.replyNext({ hangMs: 3_000 });
    const { url } = await fixture.processes.startApi({}, "api for the worker");
    const id = await fixture.api(url).createNotification(users[0]!, "two SIGTERMs during its call");
    await waitFor("Telegram to get it", () =>
      fixture.sent("two SIGTERMs during its call") === 1 ? true : undefined,
    );
    worker.signal("SIGTERM");
    await worker.waitForLog(/^shutting down$/);
    // The second one must come while the call is still open, or it proves nothing.
    expect((await fixture.state(id)).attempts.map((a) => a.status)).toEqual(["in_progress"]);
    worker.signal("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect((await fixture.state(id)).attempts.map((a) => a.status)).toEqual(["sent"]);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(
      `${signal}: the ${IN_FLIGHT} calls in flight finish and are recorded, nothing is sent twice, exit 0`,
      async () => {
        const { start, api } = await startService(`npm start (${signal})`);
        // Telegram answers each of them in 1 s.
        fixture.telegram.replyNext(...users.map(() => ({ hangMs: 1_000 })));
        const messages = users.map((_, i) => `in flight at ${signal} to the group ${i}`);
        const ids = await Promise.all(
          messages.map((message, i) => api.createNotification(users[i]!, message)),
        );
        await waitFor("Telegram to get every message", () =>
          messages.every((message) => fixture.sent(message) === 1) ? true : undefined,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));

        const signalledAt = Date.now();
        start.signalGroup(signal);
        const exit = await start.exited;
        await groupGone(start);
        const context = fixture.processes.describe();
        expect(exit, context).toEqual({ code: 0, signal: null });
        expect(Date.now() - signalledAt).toBeLessThan((SHUTDOWN_GRACE_SECONDS + 5) * 1000);

        for (const id of ids) {
          const state = await fixture.state(id);
          expect(state.status, context).toBe("sent");
          expect(state.attempts.map((a) => a.status)).toEqual(["sent"]);
        }
        expect(await fixture.inProgressAttempts()).toBe(0);
        for (const message of messages) expect(fixture.sent(message)).toBe(1);
      },
      TEST_TIMEOUT_MS,
    );
  }

  it(
    "a restarted `npm start` finds nothing left to send again",
    async () => {
      const { start } = await startService("npm start (restarted)");
      const { rows } = await fixture.pool.query<{ id: number; message: string }>(
        "SELECT id::int AS id, message FROM notifications WHERE message LIKE 'in flight at %'",
      );
      expect(rows).toHaveLength(2 * IN_FLIGHT);
      // Already sent after a clean drain; had a drain been cut short, this worker would take them
      // over once their leases ran out, and send them a second time.
      for (const { id } of rows) await fixture.waitForStatus(id, "sent", 20_000);
      for (const { message } of rows) expect(fixture.sent(message)).toBe(1);
      start.signalGroup("SIGTERM");
      expect(await start.exited).toEqual({ code: 0, signal: null });
      await groupGone(start);
    },
    TEST_TIMEOUT_MS,
  );
});
