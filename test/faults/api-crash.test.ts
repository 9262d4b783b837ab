/**
 * The API process killed with SIGKILL in the middle of requests, under load: every notification
 * answered 201 is in PostgreSQL and is delivered once. A request that got no answer may or may not
 * have created its notification, but never half of it: in this schema a created notification is a
 * `notifications` row that can be claimed (pending with a due time), and, when the request carried
 * an Idempotency-Key, the `idempotency_keys` row that points at it, both written in one transaction.
 * Half would be a key without its notification (which would answer every resend with nothing), a
 * keyed notification without its key (which a resend would duplicate), or a pending row with no due
 * time (which nothing would ever claim). A client resending the unanswered keyed requests to
 * another API process then gets exactly one notification per key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultApi, FaultFixture } from "../support/fault-fixture.js";
import type { ServiceProcess } from "../support/service-processes.js";
import { waitFor } from "../support/wait-for.js";

const LANES = 16;

interface Sent {
  message: string;
  key: string | null;
  status: number;
  id?: number;
}

describe("the API process killed mid-request under load", () => {
  let fixture: FaultFixture;
  let victim: ServiceProcess;
  let api: FaultApi;
  let user: number;

  beforeAll(async () => {
    fixture = await FaultFixture.create();
    const [started] = await Promise.all([
      fixture.processes.startApi({}, "api-killed"),
      fixture.processes.startWorker(),
    ]);
    victim = started.process;
    api = fixture.api(started.url);
    user = await api.createUser("api-crash@example.com");
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it("keeps every 201, writes nothing half, and delivers every notification once", async () => {
    const requests: Sent[] = [];
    let killed = false;
    // Concurrent clients, every other one sending an Idempotency-Key, each posting until the
    // process is gone: the kill lands with requests at every stage (parsing, in the transaction,
    // committed but not yet answered).
    const lanes = Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        for (let i = 0; !killed; i++) {
          const message = `api killed ${lane}-${i}`;
          const key = lane % 2 === 0 ? `api-killed-${lane}-${i}` : null;
          const response = await api
            .post("/api/notifications/", { user, message }, key ? { "idempotency-key": key } : {}, 10_000)
            .catch(() => ({ status: 0, body: {} as Record<string, unknown> }));
          requests.push({ message, key, status: response.status, id: response.body.id as number });
        }
      }),
    );
    await waitFor(
      "creates to be flowing",
      () => (requests.filter((r) => r.status === 201).length >= 60 ? true : undefined),
      20_000,
    );
    victim.killTree();
    await victim.exited;
    killed = true;
    await lanes;

    const accepted = requests.filter((r) => r.status === 201);
    const unanswered = requests.filter((r) => r.status !== 201);
    expect(unanswered.every((r) => r.status === 0)).toBe(true);
    expect(unanswered.length).toBeGreaterThan(0);

    const { rows } = await fixture.pool.query<{
      id: number;
      message: string;
      status: string;
      next_attempt_at: Date | null;
    }>(
      "SELECT id::int AS id, message, status, next_attempt_at FROM notifications WHERE message LIKE 'api killed %'",
    );
    const stored = new Map(rows.map((row) => [row.message, row]));
    expect(stored.size).toBe(rows.length); // no request created two
    // Every 201 is in PostgreSQL, as answered.
    for (const request of accepted) expect(stored.get(request.message)?.id, request.message).toBe(request.id);

    // Nothing half: no key without its notification, no keyed notification without its key, no
    // pending notification that nothing would claim.
    const keys = await fixture.pool.query<{
      key: string;
      notification_id: number | null;
      message: string | null;
    }>(
      `SELECT k.key, k.notification_id::int AS notification_id, n.message
       FROM idempotency_keys k LEFT JOIN notifications n ON n.id = k.notification_id
       WHERE k.key LIKE 'api-killed-%'`,
    );
    for (const row of keys.rows) {
      expect(row.notification_id, row.key).not.toBeNull();
      expect(row.message, row.key).toBe(row.key.replace("api-killed-", "api killed "));
    }
    const keyedMessages = new Set(requests.filter((r) => r.key).map((r) => r.message));
    const storedKeyed = rows.filter((row) => keyedMessages.has(row.message));
    expect(keys.rows).toHaveLength(storedKeyed.length);
    for (const row of rows)
      if (row.status === "pending") expect(row.next_attempt_at, row.message).not.toBeNull();

    // A client resends what got no answer, with the same key, to another API process.
    const { url } = await fixture.processes.startApi({}, "api-2");
    const other = fixture.api(url);
    const resent = await Promise.all(
      unanswered
        .filter((r) => r.key)
        .map(async (request) => {
          const response = await other.post(
            "/api/notifications/",
            { user, message: request.message },
            { "idempotency-key": request.key! },
          );
          expect(response.status).toBe(201);
          const existed = stored.get(request.message);
          // Replayed when the killed process had committed it, created now when it had not.
          if (existed) expect(response.body.id).toBe(existed.id);
          expect(response.headers.get("idempotent-replayed") === "true").toBe(existed !== undefined);
          return { message: request.message, id: response.body.id as number };
        }),
    );

    // Everything stored, before the kill or by the resends, is delivered exactly once: the worker
    // was never interrupted.
    const all = new Map([...[...stored.values()].map((row) => [row.message, row.id] as const)]);
    for (const { message, id } of resent) all.set(message, id);
    for (const [message, id] of all) {
      const done = await fixture.waitForStatus(id, "sent");
      expect(
        done.attempts.map((a) => a.status),
        message,
      ).toEqual(["sent"]);
    }
    const total = await fixture.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM notifications WHERE message LIKE 'api killed %'",
    );
    expect(total.rows[0]!.n).toBe(all.size);
    for (const message of all.keys()) expect(fixture.sent(message), message).toBe(1);
    for (const request of unanswered.filter((r) => !r.key && !stored.has(r.message)))
      expect(fixture.sent(request.message)).toBe(0);
    expect(await fixture.inProgressAttempts()).toBe(0);
  });
});
