/**
 * Redis crashing (no persistence: a restart comes back empty) and Redis flushed with work due and
 * retries waiting: PostgreSQL holds the truth and is the queue, so nothing is lost, nothing waits
 * for Redis, and no retry comes early.
 * A private redis-server, because the shared one serves every other test file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smsRuReplies } from "../support/fake-sms-ru.js";
import { type FaultApi, FaultFixture } from "../support/fault-fixture.js";
import { PrivateRedis } from "../support/private-redis.js";
import type { ServiceProcess } from "../support/service-processes.js";
import { waitFor } from "../support/wait-for.js";

const RETRY_DELAY_SECONDS = 4;

describe("Redis lost", () => {
  let redis: PrivateRedis;
  let fixture: FaultFixture;
  let api: FaultApi;
  let apiProcess: ServiceProcess;
  let worker: ServiceProcess;
  let user: number;

  beforeAll(async () => {
    redis = await PrivateRedis.create();
    fixture = await FaultFixture.create({
      redisUrl: redis.url,
      // One delivery at a time, so a slow one keeps the others waiting in the queue.
      env: { RETRY_DELAY_SECONDS: String(RETRY_DELAY_SECONDS), WORKER_CONCURRENCY: "1" },
    });
    ({ api, apiProcess, worker } = await fixture.startApiAndWorker());
    user = await api.createUser("redis@example.com");
  });
  afterAll(async () => {
    await fixture?.close();
    await redis?.kill();
  });

  it("accepts and delivers while Redis is down: PostgreSQL is the queue, polling stands in for wake-ups", async () => {
    await redis.kill();
    const messages = ["while Redis is down 1", "while Redis is down 2", "while Redis is down 3"];
    const ids: number[] = [];
    for (const message of messages) {
      const started = performance.now();
      ids.push(await api.createNotification(user, message));
      expect(performance.now() - started).toBeLessThan(2_000);
      // The API's other requests need no Redis either (the rate limit is skipped).
      expect((await api.get(`/api/notifications/${ids.at(-1)}/`)).body.status).toBe("pending");
    }
    // A user's creation is announced to dashboards through Redis too: it neither fails nor waits.
    const started = performance.now();
    await api.createUser("created-while-redis-is-down@example.com");
    expect(performance.now() - started).toBeLessThan(2_000);
    // Delivered with Redis still down, within a poll or two (POLL_INTERVAL_SECONDS=1 here).
    for (const id of ids) await fixture.waitForStatus(id, "sent", 10_000);
    for (const message of messages) expect(fixture.sent(message)).toBe(1);

    await redis.start();
    const after = await api.createNotification(user, "after Redis came back");
    await fixture.waitForStatus(after, "sent");
    expect(apiProcess.running && worker.running).toBe(true);
  });

  it("delivers everything after a FLUSHALL, each retry no earlier than its delay", async () => {
    // Three notifications fail their first round and wait RETRY_DELAY_SECONDS.
    fixture.smsRu.replyNext(
      smsRuReplies.requestError(220),
      smsRuReplies.requestError(220),
      smsRuReplies.requestError(220),
    );
    const retrying = await Promise.all(
      ["retry a", "retry b", "retry c"].map((m) => api.createNotification(user, m)),
    );
    for (const id of retrying) {
      await waitFor(`notification ${id} to wait for its retry`, async () =>
        (await fixture.state(id)).retry_count === 1 ? true : undefined,
      );
    }
    // One slow delivery occupies the worker, so the next two wait, due.
    fixture.smsRu.replyNext({ hangMs: 2_000 });
    const slow = await api.createNotification(user, "slow while flushed");
    await waitFor("the slow one to reach SMS.ru", () =>
      fixture.sent("slow while flushed") === 1 ? true : undefined,
    );
    const queued = await Promise.all(["queued d", "queued e"].map((m) => api.createNotification(user, m)));

    await redis.flushAll();

    for (const id of [...retrying, slow, ...queued]) await fixture.waitForStatus(id, "sent");
    for (const message of ["retry a", "retry b", "retry c"]) expect(fixture.sent(message)).toBe(2);
    for (const message of ["slow while flushed", "queued d", "queued e"])
      expect(fixture.sent(message)).toBe(1);
    for (const id of retrying) {
      const { attempts } = await fixture.state(id);
      expect(attempts.map((a) => [a.round, a.status])).toEqual([
        [1, "failed"],
        [2, "sent"],
      ]);
      const waited = attempts[1]!.started_at.getTime() - attempts[0]!.finished_at!.getTime();
      expect(waited).toBeGreaterThanOrEqual(RETRY_DELAY_SECONDS * 1000 - 50);
    }
    expect(apiProcess.running && worker.running).toBe(true);
  });
});
