/**
 * PostgreSQL crashing rather than stopping cleanly (`pg_ctl stop -m immediate`, and SIGKILL of the
 * postmaster as the OOM killer sends it) while notifications are being created and delivered:
 * every notification answered 201 survives the crash and is delivered once the server is back,
 * no call reaches the provider more than twice, and no attempt stays `in_progress`. And a client
 * that resends its Idempotency-Key after the 503s of the outage gets one notification, sent once.
 * A private cluster, because the machine's PostgreSQL serves every other test file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultApi, FaultFixture } from "../support/fault-fixture.js";
import { PrivatePostgres } from "../support/private-postgres.js";
import type { ServiceProcess } from "../support/service-processes.js";
import { waitFor } from "../support/wait-for.js";

interface Sent {
  message: string;
  key: string | null;
  status: number;
  id?: number;
}

describe("PostgreSQL crashing", () => {
  let postgres: PrivatePostgres;
  let fixture: FaultFixture;
  let api: FaultApi;
  let apiProcess: ServiceProcess;
  let worker: ServiceProcess;
  let user: number;

  beforeAll(async () => {
    postgres = await PrivatePostgres.create();
    fixture = await FaultFixture.create({
      postgresUrl: (database) => postgres.url(database),
      env: { LEASE_SECONDS: "5", PROVIDER_TIMEOUT_SECONDS: "4" },
    });
    ({ api, apiProcess, worker } = await fixture.startApiAndWorker());
    user = await api.createUser("crash@example.com");
  });
  afterAll(async () => {
    await fixture?.close();
    await postgres?.destroy();
  });

  const acceptingAgain = (message: string) =>
    waitFor(
      "the API to accept notifications again",
      async () => {
        const response = await api.post("/api/notifications/", { user, message });
        return response.status === 201 ? (response.body.id as number) : undefined;
      },
      30_000,
      250,
    );

  const crashes = [
    ["pg_ctl stop -m immediate", () => postgres.crash()],
    ["SIGKILL of the postmaster", () => postgres.killPostmaster()],
  ] as const;

  for (const [how, crash] of crashes) {
    it(`${how} during ingest and delivery: every 201 is delivered after it comes back, at most twice`, async () => {
      const tag = how.split(" ")[0];
      // Deliveries in flight when the server goes: their results cannot be recorded.
      fixture.smsRu.replyNext(...Array.from({ length: 3 }, () => ({ hangMs: 1_500 })));
      const inFlight = await Promise.all(
        [0, 1, 2].map((i) => api.createNotification(user, `${tag} in flight ${i}`)),
      );
      await waitFor("SMS.ru to get the deliveries in flight", () =>
        [0, 1, 2].every((i) => fixture.sent(`${tag} in flight ${i}`) === 1) ? true : undefined,
      );

      // Creates going on while it crashes, half of them with an Idempotency-Key.
      let hammering = true;
      const requests: Sent[] = [];
      const hammer = Promise.all(
        Array.from({ length: 4 }, async (_, lane) => {
          for (let i = 0; hammering; i++) {
            const message = `${tag} ingest ${lane}-${i}`;
            const key = lane % 2 === 0 ? message : null;
            const response = await api
              .post("/api/notifications/", { user, message }, key ? { "idempotency-key": key } : {}, 10_000)
              .catch(() => ({ status: 0, body: {} as Record<string, unknown> }));
            requests.push({ message, key, status: response.status, id: response.body.id as number });
          }
        }),
      );
      await waitFor("creates to be flowing", () =>
        requests.filter((r) => r.status === 201).length >= 8 ? true : undefined,
      );
      await crash();
      // Some creates meet the server gone (503), then the outage lasts a moment.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      hammering = false;
      await hammer;
      await postgres.start();
      const after = await acceptingAgain(`${tag} after the crash`);

      const context = () => `${fixture.processes.describe()}\n--- postgres\n${postgres.log().slice(-3000)}`;
      expect(
        requests.filter((r) => r.status !== 201 && r.status !== 503),
        context(),
      ).toEqual([]);
      expect(requests.some((r) => r.status === 503)).toBe(true);
      const accepted = requests.filter((r) => r.status === 201);

      // Every 201 survived the crash, once; what was answered 503 exists at most once.
      const { rows } = await fixture.pool.query<{ id: number; message: string }>(
        "SELECT id::int AS id, message FROM notifications WHERE message LIKE $1",
        [`${tag} %`],
      );
      const stored = new Map(rows.map((row) => [row.message, row.id]));
      expect(stored.size).toBe(rows.length);
      for (const request of accepted) expect(stored.get(request.message), request.message).toBe(request.id);

      // The clients resend what was refused with a key: one that had committed before its answer
      // was lost is replayed, the others are created now. One notification per key either way.
      for (const request of requests.filter((r) => r.status !== 201 && r.key)) {
        const response = await api.post(
          "/api/notifications/",
          { user, message: request.message },
          { "idempotency-key": request.key! },
        );
        expect(response.status).toBe(201);
        const existed = stored.get(request.message);
        if (existed) expect(response.body.id).toBe(existed);
        expect(response.headers.get("idempotent-replayed") === "true").toBe(existed !== undefined);
        stored.set(request.message, response.body.id as number);
      }
      const keys = await fixture.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM idempotency_keys WHERE key LIKE $1 AND notification_id IS NOT NULL",
        [`${tag} %`],
      );
      expect(keys.rows[0]!.n).toBe(requests.filter((r) => r.key).length);

      // Everything stored is delivered. A call in flight at the crash could not be recorded, so it
      // may have been made again: twice at most. Every call the provider got is an attempt.
      for (const [message, id] of stored) {
        const done = await fixture.waitForStatus(id, "sent", 30_000);
        const sends = fixture.sent(message);
        expect(sends, message).toBeGreaterThanOrEqual(1);
        expect(sends, message).toBeLessThanOrEqual(2);
        expect(done.attempts.filter((a) => a.status !== "skipped")).toHaveLength(sends);
        expect(done.attempts.at(-1)?.status).toBe("sent");
      }
      for (const id of [...inFlight, after]) expect([...stored.values()]).toContain(id);
      expect(fixture.sent(`${tag} after the crash`)).toBe(1);
      await waitFor("no attempt to be left in progress", async () =>
        (await fixture.inProgressAttempts()) === 0 ? true : undefined,
      );
      expect(apiProcess.running && worker.running, context()).toBe(true);
    });
  }

  it("a client resending its Idempotency-Key after 503s during the outage gets one notification, sent once", async () => {
    await postgres.crash();
    const body = { user, message: "resent through the outage" };
    const headers = { "idempotency-key": "resent-through-the-outage" };
    let postgresBack: Promise<void> | null = null;
    const answers: number[] = [];
    const created = await waitFor(
      "the resent request to be accepted",
      async () => {
        const response = await api.post("/api/notifications/", body, headers, 10_000);
        answers.push(response.status);
        // The client has met the outage twice; then the server comes back while it keeps trying.
        if (answers.length === 2) postgresBack = postgres.start();
        return response.status === 201 ? response : undefined;
      },
      30_000,
      200,
    );
    await postgresBack;
    expect(answers.slice(0, 2)).toEqual([503, 503]);
    expect(answers.slice(2, -1).every((status) => status === 503)).toBe(true);
    const id = created.body.id as number;

    // A resend after the 201 (its answer lost, say) replays it.
    const again = await api.post("/api/notifications/", body, headers);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");

    const done = await fixture.waitForStatus(id, "sent");
    expect(done.attempts.map((a) => a.status)).toEqual(["sent"]);
    const { rows } = await fixture.pool.query(
      "SELECT n.id::int AS id FROM notifications n JOIN idempotency_keys k ON k.notification_id = n.id WHERE k.key = $1",
      [headers["idempotency-key"]],
    );
    expect(rows).toEqual([{ id }]);
    const count = await fixture.pool.query(
      "SELECT count(*)::int AS n FROM notifications WHERE message = $1",
      [body.message],
    );
    expect(count.rows[0].n).toBe(1);
    // Wait a sweep or two: a second notification or a second send would show by now.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(fixture.sent(body.message)).toBe(1);
  });
});
