/**
 * Redis killed with SIGKILL (no persistence: it comes back empty) while deliveries are in flight,
 * retries wait for their round and clients keep creating: nothing a worker was doing is lost or
 * done twice, since PostgreSQL holds what is due and who holds it. Redis FLUSHALL with retries
 * waiting is in redis-loss.test.ts. A private redis-server, because the shared one serves every
 * other test file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smsRuReplies } from "../support/fake-sms-ru.js";
import { type FaultApi, FaultFixture } from "../support/fault-fixture.js";
import { PrivateRedis } from "../support/private-redis.js";
import type { ServiceProcess } from "../support/service-processes.js";
import { waitFor } from "../support/wait-for.js";

const RETRY_DELAY_SECONDS = 4;

describe("Redis killed", () => {
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
      env: { RETRY_DELAY_SECONDS: String(RETRY_DELAY_SECONDS) },
    });
    ({ api, apiProcess, worker } = await fixture.startApiAndWorker());
    user = await api.createUser("redis-killed@example.com");
  });
  afterAll(async () => {
    await fixture?.close();
    await redis?.kill();
  });

  it("with deliveries in flight and retries waiting: every notification is sent, none twice", async () => {
    // Two notifications fail their first round and wait RETRY_DELAY_SECONDS for the next.
    fixture.smsRu.replyNext(smsRuReplies.requestError(220), smsRuReplies.requestError(220));
    const retrying = await Promise.all(
      ["retry across the crash a", "retry across the crash b"].map((m) => api.createNotification(user, m)),
    );
    for (const id of retrying) {
      await waitFor(`notification ${id} to wait for its retry`, async () =>
        (await fixture.state(id)).retry_count === 1 ? true : undefined,
      );
    }
    // Five calls in flight, the provider answering each after 1.5 s.
    const inFlightMessages = Array.from({ length: 5 }, (_, i) => `in flight at the Redis crash ${i}`);
    fixture.smsRu.replyNext(...inFlightMessages.map(() => ({ hangMs: 1_500 })));
    const inFlight = await Promise.all(inFlightMessages.map((m) => api.createNotification(user, m)));
    await waitFor("SMS.ru to get every call in flight", () =>
      inFlightMessages.every((m) => fixture.sent(m) === 1) ? true : undefined,
    );

    await redis.kill();
    const whileDownMessages = ["created while Redis is dead 1", "created while Redis is dead 2"];
    const whileDown: number[] = [];
    for (const message of whileDownMessages) {
      const started = performance.now();
      whileDown.push(await api.createNotification(user, message));
      expect(performance.now() - started).toBeLessThan(2_000);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // an outage of a few seconds
    await redis.start();

    for (const id of [...inFlight, ...whileDown]) {
      const done = await fixture.waitForStatus(id, "sent");
      expect(done.attempts.map((a) => a.status)).toEqual(["sent"]);
    }
    for (const message of [...inFlightMessages, ...whileDownMessages]) expect(fixture.sent(message)).toBe(1);
    for (const id of retrying) {
      const { attempts } = await fixture.waitForStatus(id, "sent");
      expect(attempts.map((a) => [a.round, a.status])).toEqual([
        [1, "failed"],
        [2, "sent"],
      ]);
      // Its delay came from PostgreSQL, not from a delayed job Redis forgot.
      const waited = attempts[1]!.started_at.getTime() - attempts[0]!.finished_at!.getTime();
      expect(waited).toBeGreaterThanOrEqual(RETRY_DELAY_SECONDS * 1000 - 50);
    }
    for (const message of ["retry across the crash a", "retry across the crash b"])
      expect(fixture.sent(message)).toBe(2);
    expect(await fixture.inProgressAttempts()).toBe(0);
    expect(apiProcess.running && worker.running, fixture.processes.describe()).toBe(true);
  });
});
