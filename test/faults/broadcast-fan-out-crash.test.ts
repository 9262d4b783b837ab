/**
 * A worker killed with SIGKILL in the middle of a broadcast's fan-out: real processes against the
 * real PostgreSQL and Redis. Another worker must finish the fan-out from where it stopped, and
 * every recipient must end with exactly one notification.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultApi, FaultFixture } from "../support/fault-fixture.js";
import type { ServiceProcess } from "../support/service-processes.js";
import { waitFor } from "../support/wait-for.js";

const RECIPIENTS = 10_000;
const LEASE_SECONDS = 6;

describe("a worker killed mid-fan-out", () => {
  let fixture: FaultFixture;
  let api: FaultApi;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    fixture = await FaultFixture.create({
      env: {
        LEASE_SECONDS: String(LEASE_SECONDS),
        PROVIDER_TIMEOUT_SECONDS: String(LEASE_SECONDS - 1),
        DELIVERY_SANDBOX: "true",
        // Small batches and no pacing: the fan-out takes long enough to be caught in the middle.
        BROADCAST_BATCH_SIZE: "100",
        BROADCAST_MAX_BACKLOG: "0",
      },
    });
    const started = await fixture.processes.startApi();
    api = fixture.api(started.url);
    // The users are only the setting: made in one statement, not through 10,000 requests.
    await fixture.pool.query(
      `INSERT INTO users (email, password_hash, phone_number)
       SELECT 'fan' || g || '@example.com', 'not-a-login', '+79990001122' FROM generate_series(1, $1) g`,
      [RECIPIENTS],
    );
    workers.push(
      ...(await Promise.all([
        fixture.processes.startWorker({}, "worker-1"),
        fixture.processes.startWorker({}, "worker-2"),
      ])),
    );
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
  });

  it("is finished by another worker, each recipient getting exactly one notification", async () => {
    const { rows: users } = await fixture.pool.query<{ id: string }>("SELECT id FROM users ORDER BY id");
    const response = await api.post("/api/broadcasts/", {
      users: users.map((row) => Number(row.id)),
      message: "fanned out through a crash",
    });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const id = response.body.id as number;
    expect(response.body.total).toBe(RECIPIENTS);

    const holder = await waitFor(
      "the fan-out to be under way",
      async () => {
        const { rows } = await fixture.pool.query<{ lease_owner: string | null; fanned_out: number }>(
          "SELECT lease_owner, fanned_out FROM broadcasts WHERE id = $1",
          [id],
        );
        const row = rows[0]!;
        return row.lease_owner && row.fanned_out >= 1000 ? row.lease_owner : undefined;
      },
      30_000,
      20,
    );
    // lease_owner is host:pid:random.
    const pid = Number(holder.split(":")[1]);
    const victim = workers.find((worker) => worker.pid === pid && worker.running);
    if (!victim) throw new Error(`broadcast ${id} is held by ${holder}, not one of our workers`);
    victim.killTree();
    await victim.exited;

    const { rows: atKill } = await fixture.pool.query<{ status: string; fanned_out: number }>(
      "SELECT status, fanned_out FROM broadcasts WHERE id = $1",
      [id],
    );
    expect(atKill[0]!.status).toBe("fanning_out");
    expect(atKill[0]!.fanned_out).toBeLessThan(RECIPIENTS);

    await waitFor(
      "another worker to finish the fan-out",
      async () => {
        const { rows } = await fixture.pool.query<{ status: string }>(
          "SELECT status FROM broadcasts WHERE id = $1",
          [id],
        );
        return rows[0]!.status === "done" ? true : undefined;
      },
      90_000,
    );
    const { rows: counts } = await fixture.pool.query<{ total: number; recipients: number; known: number }>(
      `SELECT count(*)::int AS total, count(DISTINCT user_id)::int AS recipients,
              (SELECT count(*)::int FROM users) AS known
       FROM notifications WHERE broadcast_id = $1`,
      [id],
    );
    expect(counts[0]).toEqual({ total: RECIPIENTS, recipients: RECIPIENTS, known: RECIPIENTS });
    const status = await api.get(`/api/broadcasts/${id}/`);
    expect(status.body).toMatchObject({ status: "done", total: RECIPIENTS, fanned_out: RECIPIENTS });
  }, 180_000);
});
