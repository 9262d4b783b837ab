/**
 * Workers killed with SIGKILL in the middle of a delivery, and several workers racing for the same
 * notifications: real processes against the real PostgreSQL and Redis.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultApi, FaultFixture } from "../support/fault-fixture.js";
import type { ServiceProcess } from "../support/service-processes.js";
import { waitFor } from "../support/wait-for.js";

// A killed worker's notification must be done again within LEASE_SECONDS + 2 polls, plus slack
// for a loaded machine.
const LEASE_SECONDS = 6;
const TAKEOVER_BOUND_MS = (LEASE_SECONDS + 2 + 6) * 1000;

describe("a worker killed mid-delivery", () => {
  let fixture: FaultFixture;
  let api: FaultApi;
  let user: number;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    fixture = await FaultFixture.create({
      env: { LEASE_SECONDS: String(LEASE_SECONDS), PROVIDER_TIMEOUT_SECONDS: String(LEASE_SECONDS - 1) },
    });
    const started = await Promise.all([
      fixture.processes.startApi(),
      fixture.processes.startWorker({}, "worker-1"),
      fixture.processes.startWorker({}, "worker-2"),
    ]);
    api = fixture.api(started[0].url);
    workers.push(started[1], started[2]);
    user = await api.createUser("crash@example.com");
  });
  afterAll(async () => {
    await fixture?.close();
  });

  const killHolder = async (id: number) => {
    const pid = await fixture.leaseHolderPid(id);
    const victim = workers.find((w) => w.pid === pid && w.running);
    if (!victim) throw new Error(`notification ${id} is held by ${pid}, not one of our workers`);
    victim.killTree();
    await victim.exited;
    return victim;
  };

  it("is finished by another worker within the bound, reaching SMS.ru at most twice", async () => {
    fixture.smsRu.replyNext({ hangMs: 60_000 });
    const id = await api.createNotification(user, "killed in flight");
    await waitFor("SMS.ru to get the message", () =>
      fixture.sent("killed in flight") === 1 ? true : undefined,
    );
    await killHolder(id);
    const killedAt = Date.now();

    const done = await fixture.waitForStatus(id, "sent", TAKEOVER_BOUND_MS + 10_000);
    expect(Date.now() - killedAt).toBeLessThan(TAKEOVER_BOUND_MS);
    expect(done.attempts.map((a) => [a.round, a.channel, a.status])).toEqual([
      [1, "sms", "interrupted"],
      [1, "sms", "sent"],
    ]);
    expect(fixture.sent("killed in flight")).toBe(2);
  });

  it("is finished by the restarted worker when it was the only one", async () => {
    for (const worker of workers) if (worker.running) worker.killTree();
    await Promise.all(workers.map((w) => w.exited));
    workers.length = 0;
    workers.push(await fixture.processes.startWorker({}, "worker-3"));

    fixture.smsRu.replyNext({ hangMs: 60_000 });
    const id = await api.createNotification(user, "only worker killed");
    await waitFor("SMS.ru to get the message", () =>
      fixture.sent("only worker killed") === 1 ? true : undefined,
    );
    await killHolder(id);
    const killedAt = Date.now();
    workers.push(await fixture.processes.startWorker({}, "worker-4"));

    const done = await fixture.waitForStatus(id, "sent", TAKEOVER_BOUND_MS + 10_000);
    expect(Date.now() - killedAt).toBeLessThan(TAKEOVER_BOUND_MS);
    expect(done.attempts.map((a) => a.status)).toEqual(["interrupted", "sent"]);
    expect(fixture.sent("only worker killed")).toBe(2);
    expect(await fixture.inProgressAttempts()).toBe(0);
  });

  it("finishes every notification of a batch whose worker was killed, each reaching SMS.ru at most twice", async () => {
    const messages = Array.from({ length: 4 }, (_, i) => `batch killed ${i}`);
    fixture.smsRu.replyNext(...messages.map(() => ({ hangMs: 60_000 })));
    // Created together, so one worker may claim them together in one statement.
    const ids = await Promise.all(messages.map((message) => api.createNotification(user, message)));
    await waitFor("SMS.ru to get every message", () =>
      messages.every((message) => fixture.sent(message) === 1) ? true : undefined,
    );
    const holders = new Set(await Promise.all(ids.map((id) => fixture.leaseHolderPid(id))));
    for (const pid of holders) {
      const victim = workers.find((w) => w.pid === pid && w.running);
      if (!victim) throw new Error(`a notification is held by ${pid}, not one of our workers`);
      victim.killTree();
      await victim.exited;
    }
    const killedAt = Date.now();
    while (workers.filter((w) => w.running).length < 2) {
      workers.push(await fixture.processes.startWorker({}, `worker-after-batch-${workers.length}`));
    }

    for (const id of ids) {
      const done = await fixture.waitForStatus(id, "sent", TAKEOVER_BOUND_MS + 10_000);
      expect(done.attempts.map((a) => a.status)).toEqual(["interrupted", "sent"]);
    }
    expect(Date.now() - killedAt).toBeLessThan(TAKEOVER_BOUND_MS + 5_000);
    for (const message of messages) expect(fixture.sent(message)).toBe(2);
    expect(await fixture.inProgressAttempts()).toBe(0);
  });

  it("never lets two workers deliver one notification, however often they are woken", async () => {
    workers.push(await fixture.processes.startWorker({}, "worker-5"));
    expect(workers.filter((w) => w.running).length).toBeGreaterThanOrEqual(2);
    // Slow answers keep deliveries in flight while the wake-ups arrive.
    fixture.smsRu.replyNext(...Array.from({ length: 12 }, () => ({ hangMs: 300 })));
    const messages = Array.from({ length: 12 }, (_, i) => `raced ${i}`);
    const ids = await Promise.all(messages.map((message) => api.createNotification(user, message)));

    // Every worker woken again and again while the deliveries are in flight, as a flood of
    // creates elsewhere would: each wake-up makes every idle worker claim what is due.
    const redis = new Redis(fixture.redisUrl);
    try {
      for (let i = 0; i < 50; i += 1) {
        await redis.publish(`${fixture.redisPrefix}:work-due`, "");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      redis.disconnect();
    }

    for (const id of ids) await fixture.waitForStatus(id, "sent");
    for (const message of messages) expect(fixture.sent(message)).toBe(1);
    for (const id of ids) expect((await fixture.state(id)).attempts.map((a) => a.status)).toEqual(["sent"]);
  });
});
