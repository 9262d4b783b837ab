/**
 * Redis up but not doing its part: out of memory under `noeviction` (every write answers "OOM
 * command not allowed"), and paused (CLIENT PAUSE, as a failover or a stalled host holds every
 * command without closing the connection). Redis is never needed to accept or deliver: requests
 * answer at once (the rate limit is skipped), deliveries go on, nothing is sent twice.
 * A private redis-server, because these faults reach every client of a server.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMAND_TIMEOUT_MS } from "../../src/redis/connection.js";
import { type FaultApi, FaultFixture } from "../support/fault-fixture.js";
import { PrivateRedis } from "../support/private-redis.js";
import type { ServiceProcess } from "../support/service-processes.js";

describe("Redis degraded", () => {
  let redis: PrivateRedis;
  let control: Redis;
  let fixture: FaultFixture;
  let api: FaultApi;
  let apiProcess: ServiceProcess;
  let worker: ServiceProcess;
  let user: number;

  beforeAll(async () => {
    redis = await PrivateRedis.create();
    control = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    // The rate limit on (its default), so every API request goes through Redis first.
    fixture = await FaultFixture.create({ redisUrl: redis.url, env: { API_RATE_LIMIT_PER_MINUTE: "6000" } });
    ({ api, apiProcess, worker } = await fixture.startApiAndWorker());
    user = await api.createUser("redis-degraded@example.com");
  });
  afterAll(async () => {
    control?.disconnect();
    await fixture?.close();
    await redis?.kill();
  });

  /** Creates notifications one by one, each answered 201 within `withinMs`; their ids. */
  const createQuickly = async (messages: string[], withinMs: number) => {
    const ids: number[] = [];
    for (const message of messages) {
      const response = await api.post("/api/notifications/", { user, message });
      expect({ status: response.status, quick: response.ms < withinMs }).toEqual({
        status: 201,
        quick: true,
      });
      ids.push(response.body.id as number);
    }
    return ids;
  };

  it("accepts and delivers while Redis refuses every write for want of memory", async () => {
    await control.config("SET", "maxmemory-policy", "noeviction");
    await control.config("SET", "maxmemory", "1");
    try {
      // The fault is real: a write is refused.
      await expect(control.set("probe", "1")).rejects.toThrow(/OOM command not allowed/);
      const messages = ["while Redis is out of memory 1", "while Redis is out of memory 2"];
      const ids = await createQuickly(messages, 2_000);
      const read = await api.get(`/api/notifications/${ids[0]}/`);
      expect(read.status).toBe(200);
      for (const id of ids) await fixture.waitForStatus(id, "sent", 10_000);
      for (const message of messages) expect(fixture.sent(message)).toBe(1);
    } finally {
      await control.config("SET", "maxmemory", "0");
    }
    const [after] = await createQuickly(["after Redis had memory again"], 2_000);
    await fixture.waitForStatus(after!, "sent");
    expect(fixture.sent("after Redis had memory again")).toBe(1);
  });

  it("accepts and delivers at once while Redis holds every command (CLIENT PAUSE)", async () => {
    // Each create waits for the rate limit's command to time out, then goes on without it.
    const pauseMs = 16_000;
    await control.client("PAUSE", pauseMs, "ALL");
    const pausedAt = performance.now();
    const messages = ["while Redis is paused 1", "while Redis is paused 2", "while Redis is paused 3"];
    const ids = await createQuickly(messages, COMMAND_TIMEOUT_MS + 1_500);
    const ready = await api.get("/readyz");
    expect({ status: ready.status, state: ready.body.status }).toEqual({ status: 200, state: "degraded" });
    // Found by polling (no wake-up gets through) and sent without waiting for the pause to end.
    for (const id of ids) await fixture.waitForStatus(id, "sent", 10_000);
    expect(performance.now() - pausedAt).toBeLessThan(pauseMs - 1_000);
    for (const message of messages) expect(fixture.sent(message)).toBe(1);
    // What was held is answered once the pause ends; everything works as before.
    await control.ping();
    const [after] = await createQuickly(["after the pause"], 2_000);
    await fixture.waitForStatus(after!, "sent");
    expect(fixture.sent("after the pause")).toBe(1);
    for (const message of messages) expect(fixture.sent(message)).toBe(1);
    expect(apiProcess.running && worker.running).toBe(true);
  });
});
