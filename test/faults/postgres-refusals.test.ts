/**
 * PostgreSQL up but refusing the service's work, as production databases do: every connection
 * slot taken ("sorry, too many clients already"), the service's sessions ended by an operator,
 * writes refused after a failover to a read-only server, and statements cancelled by a
 * statement_timeout or lock_timeout an operator set on the database; and a default isolation level
 * other than the READ COMMITTED its statements are written for. The API answers 503 with a
 * JSON body saying which, never 500; the worker marks nothing failed and loses nothing; once the
 * database takes work again, every notification answered 201 is delivered exactly once.
 * A private cluster, because these faults reach every database of a server.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FaultApi, FaultFixture } from "../support/fault-fixture.js";
import { PrivatePostgres } from "../support/private-postgres.js";
import type { ServiceProcess } from "../support/service-processes.js";
import { waitFor } from "../support/wait-for.js";

describe("PostgreSQL refusing work", () => {
  let postgres: PrivatePostgres;
  let fixture: FaultFixture;
  let api: FaultApi;
  let apiProcess: ServiceProcess;
  let worker: ServiceProcess;
  let user: number;
  /** A session of the test's own, opened before any fault: it answers while the service cannot. */
  let admin: pg.Client;
  /** Every notification answered 201, by message: each must reach the provider exactly once. */
  const accepted = new Map<string, number>();
  /** Notifications a test cancelled: never sent. */
  const cancelled: number[] = [];

  beforeAll(async () => {
    postgres = await PrivatePostgres.create();
    fixture = await FaultFixture.create({
      postgresUrl: (database) => postgres.url(database),
      env: { LEASE_SECONDS: "5", PROVIDER_TIMEOUT_SECONDS: "4" },
    });
    ({ api, apiProcess, worker } = await fixture.startApiAndWorker());
    user = await api.createUser("refusals@example.com");
    admin = new pg.Client({ connectionString: fixture.databaseUrl });
    await admin.connect();
  });
  afterEach(async () => {
    // Whatever a test left behind, the next one starts from a database that takes work.
    await admin.query("ROLLBACK").catch(() => {});
    await admin.query("SET default_transaction_read_only = off");
    await admin.query("ALTER SYSTEM RESET default_transaction_read_only");
    await admin.query(`ALTER DATABASE "${fixture.database}" RESET ALL`);
    await admin.query("SELECT pg_reload_conf()");
  });
  afterAll(async () => {
    await admin?.end().catch(() => {});
    await fixture?.close();
    await postgres?.destroy();
  });

  /**
   * Ends every session the service holds, as `pg_terminate_backend()` by an operator does. With
   * `settleMs`, waits that long for the service's pools to drop them, so that the next request
   * meets the fault under test rather than a session ending under it.
   */
  const terminateServiceSessions = async (settleMs = 0) => {
    const { rows } = await admin.query(
      "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'notification-service'",
    );
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return rows[0].n as number;
  };

  const create = async (message: string, extra: Record<string, unknown> = {}) => {
    const response = await api.post("/api/notifications/", { user, message, ...extra });
    if (response.status === 201) accepted.set(message, response.body.id as number);
    return response;
  };

  /** Creates one before a fault, which must be answered 201 (the body says why when it is not). */
  const created = async (message: string, extra: Record<string, unknown> = {}) => {
    const response = await create(message, extra);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
  };

  const acceptingAgain = (message: string) =>
    waitFor(
      "the API to accept notifications again",
      async () => ((await create(message)).status === 201 ? true : undefined),
      20_000,
      200,
    );

  /** Due in `ms`, once the fault is on: the worker's claims for it meet the fault. */
  const dueIn = (ms: number) => new Date(Date.now() + ms);
  /** Until the worker has polled a few times since `due`. */
  const pastDue = (due: Date) =>
    new Promise((resolve) => setTimeout(resolve, Math.max(0, due.getTime() - Date.now()) + 2_000));

  /** Pending, untouched: no attempt, no retry counted, not failed. */
  const untouched = async (message: string) => {
    const { rows } = await admin.query(
      "SELECT n.status, n.retry_count, count(a.id)::int AS attempts FROM notifications n LEFT JOIN attempts a ON a.notification_id = n.id WHERE n.id = $1 GROUP BY n.id",
      [accepted.get(message)],
    );
    expect(rows[0]).toEqual({ status: "pending", retry_count: 0, attempts: 0 });
  };

  const expect503 = (
    response: { status: number; body: Record<string, unknown>; headers: Headers; ms: number },
    detail: string,
  ) => {
    expect({ status: response.status, body: response.body }).toEqual({ status: 503, body: { detail } });
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.ms).toBeLessThan(4_000);
  };

  it("answers 503 while every connection slot is taken, and delivers what was due once slots free up", async () => {
    const due = dueIn(3_000);
    await created("due while slots are taken", { send_at: due.toISOString() });
    // Ends the service's sessions and takes every slot they held, until the server refuses one.
    const fillers: pg.Client[] = [];
    try {
      for (let round = 0; round < 5; round++) {
        await terminateServiceSessions();
        for (;;) {
          const filler = new pg.Client({ connectionString: fixture.databaseUrl });
          const refused = await filler.connect().then(
            () => null,
            (error: { code?: string; message?: string }) => error.code ?? `${error.message}`,
          );
          if (refused) {
            expect(refused).toBe("53300"); // too_many_connections
            break;
          }
          fillers.push(filler);
        }
        if ((await terminateServiceSessions()) === 0) break;
      }
      const detail = "The database has no free connection for this request; try again shortly.";
      expect503(await create("while slots are taken"), detail);
      expect503(await api.get(`/api/notifications/${accepted.get("due while slots are taken")}/`), detail);
      expect503(
        await api.post("/api/users/", { email: "slots@example.com", password: "long enough" }),
        detail,
      );
      // The notification falls due and the worker's claims are refused a few times meanwhile.
      await pastDue(due);
      await untouched("due while slots are taken");
    } finally {
      await Promise.all(fillers.map((filler) => filler.end().catch(() => {})));
    }
    await acceptingAgain("after slots freed up");
    await fixture.waitForStatus(accepted.get("due while slots are taken")!, "sent");
    await fixture.waitForStatus(accepted.get("after slots freed up")!, "sent");
    expect(apiProcess.running && worker.running, fixture.processes.describe()).toBe(true);
  });

  it("answers only 201 or 503 while its sessions are ended mid-request, and finishes a delivery in flight", async () => {
    // A provider call in flight while its worker's sessions are ended: recorded on a new one.
    fixture.smsRu.replyNext({ hangMs: 2_500 });
    await created("in flight while sessions end");
    await waitFor("SMS.ru to get it", () =>
      fixture.sent("in flight while sessions end") === 1 ? true : undefined,
    );
    const send_at = dueIn(4_000).toISOString();
    let hammering = true;
    const statuses: number[] = [];
    const refused: string[] = [];
    const hammer = Promise.all(
      Array.from({ length: 4 }, async (_, lane) => {
        for (let i = 0; hammering; i++) {
          const message = `terminated ${lane}-${i}`;
          // Due once the sessions stop ending, so this tries creation alone: a claim or a start
          // of an attempt cut off with its session is another story (postgres-restart.test.ts).
          const response = await api
            .post("/api/notifications/", { user, message, send_at }, { "idempotency-key": message })
            .catch(() => ({ status: 0, body: {} as Record<string, unknown> }));
          statuses.push(response.status);
          if (response.status === 201) accepted.set(message, response.body.id as number);
          else refused.push(message);
        }
      }),
    );
    let ended = 0;
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ended += await terminateServiceSessions();
    }
    hammering = false;
    await hammer;
    expect(ended).toBeGreaterThan(0);
    // A status 0 is a request that got no answer: the processes' output says why.
    expect(
      statuses.filter((status) => status !== 201 && status !== 503),
      fixture.processes.describe(),
    ).toEqual([]);
    // A key refused with 503 was rolled back or committed whole: resent, it is created or replayed.
    for (const message of refused) {
      const response = await api.post(
        "/api/notifications/",
        { user, message, send_at },
        { "idempotency-key": message },
      );
      expect(response.status).toBe(201);
      accepted.set(message, response.body.id as number);
    }
    const { rows } = await admin.query(
      "SELECT message, count(*)::int AS n FROM notifications WHERE message LIKE 'terminated %' GROUP BY message HAVING count(*) > 1",
    );
    expect(rows).toEqual([]);
    await fixture.waitForStatus(accepted.get("in flight while sessions end")!, "sent");
  });

  it("answers 503 to writes and serves reads while the server is read-only, and delivers once writes are allowed", async () => {
    const due = dueIn(1_500);
    await created("due while read-only", { send_at: due.toISOString() });
    const id = accepted.get("due while read-only")!;
    // A failover to a server that refuses writes: new transactions are read-only, sessions reconnect.
    await admin.query("ALTER SYSTEM SET default_transaction_read_only = on");
    await admin.query("SELECT pg_reload_conf()");
    await terminateServiceSessions();
    const detail = "The database accepts no changes right now (it is read-only); try again shortly.";
    await waitFor("writes to be refused", async () =>
      (await create(`probe ${Date.now()}`)).status === 503 ? true : undefined,
    );
    expect503(await create("while read-only"), detail);
    expect503(
      await api.post(
        "/api/notifications/",
        { user, message: "keyed while read-only" },
        { "idempotency-key": "ro" },
      ),
      detail,
    );
    expect503(
      await api.post("/api/users/", { email: "read-only@example.com", password: "long enough" }),
      detail,
    );
    const read = await api.get(`/api/notifications/${id}/`);
    expect({ status: read.status, state: read.body.status }).toEqual({ status: 200, state: "pending" });
    // A process starting meanwhile (a restart, a rolling deploy) finds no migration to apply and
    // serves as the running one does, rather than fail its start-up on a write it need not make.
    const started = await fixture.processes.startApi({}, "api started while read-only");
    const other = fixture.api(started.url);
    expect503(
      await other.post("/api/notifications/", { user, message: "while read-only (another API)" }),
      detail,
    );
    expect((await other.get(`/api/notifications/${id}/`)).status).toBe(200);
    started.process.signal("SIGTERM");
    await pastDue(due);
    await untouched("due while read-only");

    await admin.query("SET default_transaction_read_only = off");
    await admin.query("ALTER SYSTEM RESET default_transaction_read_only");
    await admin.query("SELECT pg_reload_conf()");
    await acceptingAgain("after read-only");
    await fixture.waitForStatus(id, "sent");
    await fixture.waitForStatus(accepted.get("after read-only")!, "sent");
  });

  it("records a delivery whose provider answered while writes were refused once they are allowed again, sent once", async () => {
    // Answered 2 s after it arrives: later than turning writes off takes, even on a busy machine.
    fixture.smsRu.replyNext({ hangMs: 2_000 });
    await created("answered while read-only");
    const id = accepted.get("answered while read-only")!;
    await waitFor("SMS.ru to get it", () =>
      fixture.sent("answered while read-only") === 1 ? true : undefined,
    );
    await admin.query("ALTER SYSTEM SET default_transaction_read_only = on");
    await admin.query("SELECT pg_reload_conf()");
    await terminateServiceSessions();
    // The provider answers meanwhile; recording that is refused for as long as this lasts, which
    // is less than the lease (5 s here) but more than one try.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const { rows } = await admin.query("SELECT status FROM attempts WHERE notification_id = $1", [id]);
    expect(rows).toEqual([{ status: "in_progress" }]);
    await admin.query("SET default_transaction_read_only = off");
    await admin.query("ALTER SYSTEM RESET default_transaction_read_only");
    await admin.query("SELECT pg_reload_conf()");
    const done = await fixture.waitForStatus(id, "sent", 10_000);
    expect(done.attempts.map((attempt) => attempt.status)).toEqual(["sent"]);
    expect(fixture.sent("answered while read-only")).toBe(1);
  });

  for (const setting of ["statement_timeout", "lock_timeout"] as const) {
    it(`answers 503 when an operator's ${setting} cancels its statements behind a lock, and delivers after`, async () => {
      const due = dueIn(1_500);
      await created(`due behind a lock (${setting})`, { send_at: due.toISOString() });
      await admin.query(`ALTER DATABASE "${fixture.database}" SET ${setting} = '300ms'`);
      await terminateServiceSessions(250);
      // A long transaction holding the table (a stuck session, an ALTER TABLE waiting its turn).
      await admin.query("BEGIN");
      await admin.query("LOCK TABLE notifications IN ACCESS EXCLUSIVE MODE");
      const detail = "The database did not finish the request in time; try again shortly.";
      expect503(await create(`behind a lock (${setting})`), detail);
      expect503(await api.get("/api/notifications/?page_size=1"), detail);
      await pastDue(due);
      // The fault is real: PostgreSQL logged the statements it cancelled, and why.
      expect(postgres.log()).toMatch(setting === "lock_timeout" ? /lock timeout/ : /statement timeout/);
      await admin.query(`ALTER DATABASE "${fixture.database}" RESET ${setting}`);
      await terminateServiceSessions();
      await untouched(`due behind a lock (${setting})`);
      await admin.query("COMMIT");

      await acceptingAgain(`after the lock (${setting})`);
      await fixture.waitForStatus(accepted.get(`due behind a lock (${setting})`)!, "sent");
      await fixture.waitForStatus(accepted.get(`after the lock (${setting})`)!, "sent");
    });
  }

  it("keeps to READ COMMITTED when the database's default isolation is SERIALIZABLE", async () => {
    const later = { send_at: new Date(Date.now() + 3_600_000).toISOString() };
    const created = await api.post("/api/notifications/", {
      user,
      message: "cancelled behind a row lock",
      ...later,
    });
    const id = created.body.id as number;
    cancelled.push(id);
    // Set by an operator for their own applications; the service's statements are not written for it.
    await admin.query(
      `ALTER DATABASE "${fixture.database}" SET default_transaction_isolation = 'serializable'`,
    );
    await terminateServiceSessions(250);
    // Another session changes the row while the cancel waits for it: READ COMMITTED reads the row
    // again and goes on; SERIALIZABLE (or REPEATABLE READ) fails with 40001.
    await admin.query("BEGIN");
    await admin.query("UPDATE notifications SET updated_at = now() WHERE id = $1", [id]);
    const cancelling = api.post(`/api/notifications/${id}/cancel/`, {});
    // Asked from another session: within a transaction, pg_stat_activity stays as first read.
    await waitFor("the cancel to wait for the row", async () => {
      const { rows } = await fixture.pool.query(
        "SELECT 1 FROM pg_stat_activity WHERE application_name = 'notification-service' AND wait_event_type = 'Lock'",
      );
      return rows.length > 0 ? true : undefined;
    });
    await admin.query("COMMIT");
    const response = await cancelling;
    expect({ status: response.status, state: response.body.status }).toEqual({
      status: 200,
      state: "cancelled",
    });
    // Concurrent creates, half of them in a transaction with their key, and their deliveries.
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, lane) => {
        for (let i = 0; i < 8; i++) {
          const message = `serializable ${lane}-${i}`;
          const response = await api.post(
            "/api/notifications/",
            { user, message },
            i % 2 === 0 ? { "idempotency-key": message } : {},
          );
          statuses.push(response.status);
          if (response.status === 201) accepted.set(message, response.body.id as number);
        }
      }),
    );
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
    for (const [message, id] of accepted) {
      if (message.startsWith("serializable ")) await fixture.waitForStatus(id, "sent");
    }
  });

  it("delivered every notification answered 201 exactly once, and left no attempt in progress", async () => {
    for (const [message, id] of accepted) {
      await fixture.waitForStatus(id, "sent");
      expect({ message, sends: fixture.sent(message) }).toEqual({ message, sends: 1 });
    }
    const { rows } = await admin.query(
      "SELECT status, count(*)::int AS n FROM notifications WHERE NOT id = ANY($1) GROUP BY status ORDER BY status",
      [cancelled],
    );
    expect(rows).toEqual([{ status: "sent", n: accepted.size }]);
    for (const id of cancelled) expect((await fixture.state(id)).status).toBe("cancelled");
    expect(await fixture.inProgressAttempts()).toBe(0);
    expect(apiProcess.running && worker.running, fixture.processes.describe()).toBe(true);
  });
});
