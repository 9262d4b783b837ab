/**
 * PostgreSQL restarting under a running API and worker: the API answers 503 with a JSON body at
 * once while it is down, neither process dies, both recover by themselves, and the delivery that
 * was in flight when it went down is still finished. A private cluster, because the machine's
 * PostgreSQL serves every other test file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultApi, FaultFixture } from "../support/fault-fixture.js";
import { PrivatePostgres } from "../support/private-postgres.js";
import type { ServiceProcess } from "../support/service-processes.js";
import { waitFor } from "../support/wait-for.js";

describe("PostgreSQL restarting", () => {
  let postgres: PrivatePostgres;
  let fixture: FaultFixture;
  let api: FaultApi;
  let apiProcess: ServiceProcess;
  let worker: ServiceProcess;

  beforeAll(async () => {
    postgres = await PrivatePostgres.create();
    fixture = await FaultFixture.create({
      postgresUrl: (database) => postgres.url(database),
      env: { LEASE_SECONDS: "5", PROVIDER_TIMEOUT_SECONDS: "4" },
    });
    ({ api, apiProcess, worker } = await fixture.startApiAndWorker());
  });
  afterAll(async () => {
    await fixture?.close();
    await postgres?.destroy();
  });

  it("answers 503 quickly while it is down, and everything recovers without a restart", async () => {
    const user = await api.createUser("pg@example.com");
    const before = await api.createNotification(user, "before the restart");
    await fixture.waitForStatus(before, "sent");

    // A delivery in flight when PostgreSQL goes away: its result cannot be recorded.
    fixture.smsRu.replyNext({ hangMs: 1_500 });
    const inFlight = await api.createNotification(user, "in flight at the restart");
    await waitFor("SMS.ru to get it", () =>
      fixture.sent("in flight at the restart") === 1 ? true : undefined,
    );
    // Idempotent creates (transactions) in flight while the server shuts down must fail, not crash the API.
    let hammering = true;
    const accepted: { id: number; message: string }[] = [];
    const statuses: number[] = [];
    const hammer = Promise.all(
      Array.from({ length: 4 }, async (_, lane) => {
        for (let i = 0; hammering; i++) {
          const message = `hammer ${lane}-${i}`;
          const response = await api
            .post("/api/notifications/", { user, message }, { "idempotency-key": message })
            .catch(() => ({ status: 0, body: {} as Record<string, unknown> }));
          statuses.push(response.status);
          if (response.status === 201) accepted.push({ id: response.body.id as number, message });
        }
      }),
    );
    await waitFor("idempotent creates to be flowing", () => (accepted.length >= 8 ? true : undefined));
    await postgres.stop();
    hammering = false;
    await hammer;
    expect(statuses.every((status) => status === 201 || status === 503)).toBe(true);
    expect(apiProcess.running).toBe(true);

    for (const attempt of [
      () => api.post("/api/notifications/", { user, message: "while down" }, {}, 10_000),
      () => api.get(`/api/notifications/${before}/`, 10_000),
      () => api.post("/api/users/", { email: "down@example.com", password: "long enough" }, {}, 10_000),
    ]) {
      const response = await attempt();
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ detail: "The database is unavailable; try again shortly." });
      expect(response.headers.get("retry-after")).toBe("5");
      expect(response.ms).toBeLessThan(4_000);
    }
    // Long enough for the worker's claims and polls to fail a few times.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await postgres.start();

    const after = await waitFor(
      "the API to accept notifications again",
      async () => {
        const response = await api.post("/api/notifications/", { user, message: "after the restart" });
        return response.status === 201 ? (response.body.id as number) : undefined;
      },
      20_000,
      250,
    );
    await fixture.waitForStatus(after, "sent");
    const recovered = await fixture.waitForStatus(inFlight, "sent");
    // Its result was lost with the connection, so it was sent again: at most twice.
    expect(fixture.sent("in flight at the restart")).toBeLessThanOrEqual(2);
    expect(recovered.attempts.at(-1)?.status).toBe("sent");
    expect(fixture.sent("after the restart")).toBe(1);
    expect(fixture.sent("while down")).toBe(0);
    // Every create answered 201 is stored once and delivered; one whose delivery was in flight
    // when the server went away was sent again after it came back: at most twice, never more.
    const stored = await fixture.pool.query(
      "SELECT count(*)::int AS n FROM notifications WHERE message LIKE 'hammer %'",
    );
    expect(stored.rows[0].n).toBe(accepted.length);
    for (const { id, message } of accepted) {
      const done = await fixture.waitForStatus(id, "sent");
      const sends = fixture.sent(message);
      expect(sends).toBeGreaterThanOrEqual(1);
      expect(sends).toBeLessThanOrEqual(2);
      expect(done.attempts.filter((a) => a.status === "interrupted")).toHaveLength(sends - 1);
    }
    expect(await fixture.inProgressAttempts()).toBe(0);
    expect(apiProcess.running).toBe(true);
    expect(worker.running).toBe(true);
  });

  it("answers 503 within the pool's timeouts when it hangs without answering, and recovers", async () => {
    const user = await api.createUser("frozen@example.com");
    await postgres.freeze();
    try {
      const responses = await Promise.all([
        api.post("/api/notifications/", { user, message: "while frozen" }, {}, 20_000),
        api.get("/api/notifications/?page_size=1", 20_000),
      ]);
      for (const response of responses) {
        expect(response.status).toBe(503);
        expect(response.body.detail).toMatch(/database is unavailable/);
        // connectionTimeoutMillis (3 s) for a new connection, query_timeout (10 s) on an open one.
        expect(response.ms).toBeLessThan(12_000);
      }
    } finally {
      await postgres.thaw();
    }
    const after = await waitFor(
      "the API to accept notifications again",
      async () => {
        const response = await api.post("/api/notifications/", { user, message: "after the freeze" });
        return response.status === 201 ? (response.body.id as number) : undefined;
      },
      20_000,
      250,
    );
    await fixture.waitForStatus(after, "sent");
    expect(fixture.sent("after the freeze")).toBe(1);
    expect(apiProcess.running && worker.running).toBe(true);
  });
});
