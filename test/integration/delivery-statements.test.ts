/**
 * The worker's statements: claiming due notifications from PostgreSQL (the queue), and starting
 * and finishing attempts under the lease, batched per tick so that each caller still gets exactly
 * what it would have got alone.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelActivityQueries } from "../../src/db/channel-activity-queries.js";
import type { Queryable } from "../../src/db/database.js";
import { DeliveriesRepository } from "../../src/db/deliveries-repository.js";
import { DeliveryStatsRepository } from "../../src/db/delivery-stats-repository.js";
import { ReceiptsRepository, type ReceiptUpdate } from "../../src/receipts/receipts-repository.js";
import { startTestService, type TestService } from "../support/test-service.js";

describe("batched delivery statements", () => {
  let service: TestService;
  let user: number;

  beforeAll(async () => {
    service = await startTestService({ worker: false });
    ({ id: user } = await service.createUser({ email: "batch@example.com", password: "correct horse" }));
  });
  afterAll(async () => {
    await service?.close();
  });

  const createMany = (count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        service.createNotification({ user, message: `batched ${i}` }).then((created) => created.id),
      ),
    );

  const setDue = (id: number, sql: string) =>
    service.core.pool.query(`UPDATE notifications SET next_attempt_at = ${sql} WHERE id = $1`, [id]);
  const freeAll = () =>
    service.core.pool.query(
      "UPDATE notifications SET status = 'cancelled', lease_owner = NULL WHERE status = 'pending'",
    );

  it("claims due notifications oldest due first, up to the limit, each by one worker only", async () => {
    const { deliveries } = service.core;
    const ids = await createMany(6);
    // Due at different moments in the past, one not yet due.
    await Promise.all(ids.slice(0, 5).map((id, i) => setDue(id, `now() - interval '${10 - i} seconds'`)));
    await setDue(ids[5]!, "now() + interval '30 seconds'");

    const [a, b] = await Promise.all([
      deliveries.claimDue("worker-a", 15, 2),
      deliveries.claimDue("worker-b", 15, 2),
    ]);
    const c = await deliveries.claimDue("worker-c", 15, 10);
    const idsOf = (batch: typeof a) => batch.deliveries.map((claim) => claim.notification.id);
    expect(idsOf(a)).toHaveLength(2);
    expect(idsOf(b)).toHaveLength(2);
    // The four oldest went to the two concurrent claims, none to both; the last due one was left.
    expect([...idsOf(a), ...idsOf(b)].sort((x, y) => x - y)).toEqual(ids.slice(0, 4));
    expect(idsOf(c)).toEqual([ids[4]]);
    expect([...a.deliveries, ...b.deliveries].every((claim) => claim.recipient?.id === user)).toBe(true);
    // Each claim says when the one not yet due falls due, on PostgreSQL's clock.
    for (const batch of [a, b, c]) {
      expect(batch.nextDueInSeconds).toBeGreaterThan(25);
      expect(batch.nextDueInSeconds).toBeLessThanOrEqual(30);
    }
    const again = await deliveries.claimDue("worker-d", 15, 10);
    expect(again.deliveries).toEqual([]);
    await freeAll();
  });

  it("makes a notification due again when its worker's lease lapsed, closing the attempt it left", async () => {
    const { deliveries, pool } = service.core;
    const [id] = await createMany(1);
    const { deliveries: held } = await deliveries.claimDue("worker-a", 15, 1);
    expect(held.map((claim) => claim.notification.id)).toEqual([id]);
    expect(await deliveries.startAttempt(id!, 1, "sms", "worker-a", 15, 11)).toEqual(expect.any(Number));
    expect((await deliveries.claimDue("worker-b", 15, 1)).deliveries).toEqual([]);

    // worker-a dies: its lease runs out.
    await pool.query(
      "UPDATE notifications SET lease_expires_at = now() - interval '1 second' WHERE id = $1",
      [id],
    );
    const { deliveries: taken } = await deliveries.claimDue("worker-b", 15, 1);
    expect(taken.map((claim) => claim.notification.id)).toEqual([id]);
    expect(taken[0]!.interrupted).toBe(1);
    expect(taken[0]!.attempts.map((attempt) => attempt.status)).toEqual(["interrupted"]);
    // worker-a's lease is gone: it can no longer record anything on the notification.
    expect(await deliveries.startAttempt(id!, 1, "sms", "worker-a", 15, 11)).toBeNull();
    await freeAll();
  });

  it("starts and finishes attempts in batches under each notification's own lease", async () => {
    const { deliveries } = service.core;
    const ids = await createMany(4);
    expect((await deliveries.claimDue("worker-a", 15, 10)).deliveries).toHaveLength(4);
    // The last one is cancelled: its lease is gone, so no attempt may start.
    await service.inject({ method: "POST", url: `/api/notifications/${ids[3]}/cancel/` });

    const started = await Promise.all(
      ids.map((id) => deliveries.startAttempt(id, 1, "sms", "worker-a", 15, 11)),
    );
    expect(started.slice(0, 3).every((attemptId) => typeof attemptId === "number")).toBe(true);
    expect(new Set(started.slice(0, 3)).size).toBe(3);
    expect(started[3]).toBeNull();

    const sent = { kind: "sent" as const, providerMessageId: "m-1", details: { balance: 1 } };
    const finished = await Promise.all(
      ids.slice(0, 3).map((id, i) => deliveries.finishSent(started[i]!, sent, id, "worker-a", "sms")),
    );
    expect(finished).toEqual([true, true, true]);
    for (const id of ids.slice(0, 3)) {
      const notification = await service.getNotification(id);
      expect(notification.status).toBe("sent");
      expect(notification.attempts.map((a) => [a.status, a.provider_message_id])).toEqual([["sent", "m-1"]]);
    }
  });

  it("records a skip on a notification deleted meanwhile (its user erased) as nothing, not an error", async () => {
    const { deliveries } = service.core;
    const { id: gone } = await service.createUser({ email: "gone@example.com", password: "correct horse" });
    const { id } = await service.createNotification({ user: gone, message: "gone" });
    await deliveries.recordSkipped(id, 1, "email", "no_contact", "no email address");
    expect((await service.inject({ method: "DELETE", url: `/api/users/${gone}/` })).statusCode).toBe(204);
    await expect(
      deliveries.recordSkipped(id, 1, "sms", "no_contact", "no phone number"),
    ).resolves.toBeUndefined();
    const { rowCount } = await service.core.pool.query("SELECT 1 FROM attempts WHERE notification_id = $1", [
      id,
    ]);
    expect(rowCount).toBe(0);
  });

  it("renews a lease that could lapse during the provider call when an attempt starts, and leaves a fresh one alone", async () => {
    const { deliveries, pool } = service.core;
    const [fresh, aging, halfAged, lost] = await createMany(4);
    expect((await deliveries.claimDue("worker-a", 15, 10)).deliveries).toHaveLength(4);
    // One lease has 2 s of its 15 left; one 9 s, more than half but less than an 11-second call
    // (a second channel after a slow first one); another has lapsed and another worker holds it now.
    await pool.query(
      "UPDATE notifications SET lease_expires_at = now() + interval '2 seconds' WHERE id = $1",
      [aging],
    );
    await pool.query(
      "UPDATE notifications SET lease_expires_at = now() + interval '9 seconds' WHERE id = $1",
      [halfAged],
    );
    await pool.query(
      "UPDATE notifications SET lease_expires_at = now() - interval '1 second' WHERE id = $1",
      [lost],
    );
    expect((await deliveries.claimDue("worker-b", 15, 10)).deliveries.map((c) => c.notification.id)).toEqual([
      lost,
    ]);
    const leaseOf = async (id: number) => {
      const { rows } = await pool.query<{ expires: Date; xmin: string }>(
        "SELECT lease_expires_at AS expires, xmin::text FROM notifications WHERE id = $1",
        [id],
      );
      return rows[0]!;
    };
    const freshBefore = await leaseOf(fresh!);

    const started = await Promise.all(
      [fresh, aging, halfAged, lost].map((id) => deliveries.startAttempt(id!, 1, "sms", "worker-a", 15, 11)),
    );
    expect(started.map((id) => typeof id)).toEqual(["number", "number", "number", "object"]);
    expect(started[3]).toBeNull();
    // The fresh lease's row was not rewritten: same expiry, same row version.
    expect(await leaseOf(fresh!)).toEqual(freshBefore);
    for (const renewed of [aging, halfAged]) {
      const { rows } = await pool.query<{ seconds_left: number }>(
        "SELECT extract(epoch FROM lease_expires_at - now())::float8 AS seconds_left FROM notifications WHERE id = $1",
        [renewed],
      );
      expect(rows[0]!.seconds_left).toBeGreaterThan(14);
    }
    const { rows: lostAttempts } = await pool.query("SELECT id FROM attempts WHERE notification_id = $1", [
      lost,
    ]);
    expect(lostAttempts).toEqual([]);
  });
  it("starts attempts looking each notification up once, and again only to renew its lease", async () => {
    const { deliveries, pool } = service.core;
    await freeAll();
    const ids = await createMany(5);
    expect((await deliveries.claimDue("worker-a", 15, 10)).deliveries).toHaveLength(5);
    await pool.query(
      "UPDATE notifications SET lease_expires_at = now() + interval '2 seconds' WHERE id = $1",
      [ids[4]],
    );
    const sent: pg.QueryConfig[] = [];
    const capturing = new DeliveriesRepository(capturingQueryable(sent));
    await Promise.all(ids.map((id) => capturing.startAttempt(id, 1, "sms", "worker-a", 15, 11)));
    expect(sent).toHaveLength(1);
    const nodes = await explained(pool, sent[0]!);
    // Rows of notifications fetched: one per notification, one more for the lease renewed.
    const fetched = nodes
      .filter((node) => node["Relation Name"] === "notifications")
      .reduce((sum, node) => sum + node["Actual Rows"] * node["Actual Loops"], 0);
    expect(fetched).toBe(ids.length + 1);
    // And every one of them started.
    expect(nodes.find((node) => node["Relation Name"] === "attempts")?.["Actual Rows"]).toBe(ids.length);
    await freeAll();
  });

  it("claims through the due index, reading only what it takes, when statistics say nothing is pending", async () => {
    const { pool } = service.core;
    await freeAll();
    // Statistics gathered between two bursts, with nothing pending (autovacuum's ANALYZE would do
    // the same), then a backlog of 3,000 due notifications.
    await pool.query(
      `INSERT INTO notifications (user_id, message, status, next_attempt_at)
       SELECT $1, 'done ' || i, 'sent', NULL FROM generate_series(1, 300) AS i`,
      [user],
    );
    await pool.query("VACUUM ANALYZE notifications");
    await pool.query(
      `INSERT INTO notifications (user_id, message) SELECT $1, 'backlog ' || i FROM generate_series(1, 3000) AS i`,
      [user],
    );
    // The claim exactly as the repository sends it, replayed under EXPLAIN ANALYZE and rolled back.
    const sent: pg.QueryConfig[] = [];
    try {
      const claimed = await new DeliveriesRepository(recordingPool(pool, sent)).claimDue("probe", 30, 32);
      expect(claimed.deliveries).toHaveLength(32);
      const scans = (await explained(pool, sent[0]!)).filter(
        (node) => node["Relation Name"] === "notifications",
      );
      expect(scans.map((node) => node["Index Name"])).not.toContain("notifications_by_status");
      // 32 rows to take (and the 32 leased a moment ago to pass over), not the whole backlog.
      expect(rowsRead(scans)).toBeLessThan(200);
    } finally {
      await freeAll();
    }
  });

  /** A notification already sent, for attempts awaiting their receipts. */
  const sentNotification = async (): Promise<number> => {
    const { rows } = await service.core.pool.query<{ id: number }>(
      "INSERT INTO notifications (user_id, message, status, next_attempt_at) VALUES ($1, 'receipts', 'sent', NULL) RETURNING id",
      [user],
    );
    return rows[0]!.id;
  };

  it("claims receipt checks through their own index, not the callbacks', when statistics say none await", async () => {
    const { pool } = service.core;
    const notificationId = await sentNotification();
    const attempts = (delivery: string, checkAt: string, count: number) =>
      pool.query(
        `INSERT INTO attempts (notification_id, round, channel, status, provider_message_id, delivery,
                               receipt_check_at, finished_at)
         SELECT $1, 1, 'sms', 'sent', $2 || i, $3, ${checkAt}, now() FROM generate_series(1, $4::integer) AS i`,
        [notificationId, `${delivery}-`, delivery, count],
      );
    // Statistics gathered while no message awaited its receipt, then 3,000 checks due.
    await attempts("delivered", "NULL", 300);
    await pool.query("VACUUM ANALYZE attempts");
    await attempts("accepted", "now() - interval '1 second'", 3000);
    const sent: pg.QueryConfig[] = [];
    const claimed = await new ReceiptsRepository(recordingPool(pool, sent)).claimDue("probe", 30, 0, 50);
    expect(claimed.checks).toHaveLength(50);
    const scans = (await explained(pool, sent[0]!)).filter((node) => node["Relation Name"] === "attempts");
    expect(scans.map((node) => node["Index Name"])).not.toContain("attempts_awaiting_receipt_by_provider_id");
    expect(rowsRead(scans)).toBeLessThan(200);
    await pool.query("DELETE FROM notifications WHERE id = $1", [notificationId]);
  });

  it("records final receipts reading no attempt twice: only a report that stays in transit looks up the code it had", async () => {
    const { pool } = service.core;
    const notificationId = await sentNotification();
    const { rows: accepted } = await pool.query<{ id: number }>(
      `INSERT INTO attempts (notification_id, round, channel, status, provider_message_id, delivery,
                             receipt_check_at, finished_at)
       SELECT $1, 1, 'sms', 'sent', 'record-' || i, 'accepted', now(), now() FROM generate_series(1, 20) AS i
       RETURNING id`,
      [notificationId],
    );
    const reports = (delivery: "accepted" | "delivered", code: string): ReceiptUpdate[] =>
      accepted.map(({ id }) => ({
        attemptId: id,
        delivery,
        report: { state: delivery === "accepted" ? "in_transit" : "delivered", code, text: null },
        nextCheckSeconds: 60,
      }));
    /** How many times the record statement, replayed, ran the subplan `lookup` names. */
    const lookups = async (updates: ReceiptUpdate[], findLatest: boolean, lookup: RegExp) => {
      const sent: pg.QueryConfig[] = [];
      await new ReceiptsRepository(capturingQueryable(sent)).record(updates, { findLatest });
      const found = (await explained(pool, sent[0]!)).filter(
        (node) =>
          node["Parent Relationship"] === "SubPlan" &&
          node["Relation Name"] === "attempts" &&
          lookup.test(`${node["Index Cond"] ?? ""} ${node.Filter ?? ""}`),
      );
      // A parameter known to be false may plan the subplan away: then it runs no more than never.
      expect(found.length).toBeLessThanOrEqual(1);
      return found[0]?.["Actual Loops"] ?? 0;
    };
    const earlierCode = /\(id = a\.id\)/;
    const laterAttempt = /notification_id = f\.notification_id/;
    // Every receipt final at its first check, the common case: no extra read.
    expect(await lookups(reports("delivered", "103"), false, earlierCode)).toBe(0);
    // In transit: one lookup per report.
    expect(await lookups(reports("accepted", "102"), false, earlierCode)).toBe(accepted.length);
    // Whether a final receipt is its notification's latest is looked up only when asked (webhooks).
    expect(await lookups(reports("delivered", "103"), false, laterAttempt)).toBe(0);
    expect(await lookups(reports("delivered", "103"), true, laterAttempt)).toBe(accepted.length);
    await pool.query("DELETE FROM notifications WHERE id = $1", [notificationId]);
  });
});

describe("reads of finished attempts", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ worker: false });
  });
  afterAll(async () => {
    await service?.close();
  });

  it("find them through attempts_by_channel_time, which holds no attempt in progress", async () => {
    const { pool } = service.core;
    const { id: user } = await service.createUser({
      email: "finished@example.com",
      password: "correct horse",
    });
    const { rows } = await pool.query<{ id: number }>(
      "INSERT INTO notifications (user_id, message, status, next_attempt_at) VALUES ($1, 'finished', 'sent', NULL) RETURNING id",
      [user],
    );
    const attempts = (status: string, finishedAt: string, count: number) =>
      pool.query(
        `INSERT INTO attempts (notification_id, round, channel, status, finished_at)
         SELECT $1, 1, 'sms', $2, ${finishedAt} FROM generate_series(1, $3::integer)`,
        [rows[0]!.id, status, count],
      );
    await attempts("sent", "now() - interval '2 hours'", 5000);
    await attempts("sent", "now()", 20);
    await attempts("failed", "now()", 5);
    await attempts("in_progress", "NULL", 30);
    await pool.query("VACUUM ANALYZE attempts");

    const sent: pg.QueryConfig[] = [];
    const activity = await new ChannelActivityQueries(recordingPool(pool, sent)).activity(["sms"], 3600);
    expect(activity).toEqual([expect.objectContaining({ channel: "sms", sent: 20, failed: 5, skipped: 0 })]);
    const stats = await new DeliveryStatsRepository(recordingPool(pool, sent)).read();
    expect(stats.attempts).toEqual(
      expect.arrayContaining([
        { channel: "sms", status: "sent", errorKind: null, count: 5020 },
        { channel: "sms", status: "failed", errorKind: null, count: 5 },
      ]),
    );
    expect(stats.attempts.filter((entry) => entry.status === "in_progress")).toEqual([]);
    // The last hour's counts and the last success, each through the index (the metrics count
    // nearly every attempt: there a sequential scan is the planner's fair choice).
    const activityScans = (await explained(pool, sent[0]!)).filter(
      (node) => node["Relation Name"] === "attempts",
    );
    expect(activityScans.map((node) => node["Index Name"])).toEqual([
      "attempts_by_channel_time",
      "attempts_by_channel_time",
    ]);
    // No entry for the 30 in progress (an index-only count of everything it holds).
    const { rows: entries } = await pool.query<{ count: number }>(
      `SELECT count(*)::integer AS count FROM attempts WHERE finished_at IS NOT NULL`,
    );
    const { rows: size } = await pool.query<{ tuples: number }>(
      "SELECT reltuples::integer AS tuples FROM pg_class WHERE relname = 'attempts_by_channel_time'",
    );
    expect(entries[0]!.count).toBe(5025);
    expect(size[0]!.tuples).toBe(5025);
  });
});

/** Runs `config` under EXPLAIN ANALYZE in a transaction rolled back, and returns its plan's nodes. */
async function explained(pool: pg.Pool, config: pg.QueryConfig): Promise<PlanNode[]> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${config.text}`,
      config.values,
    );
    return nodesOf(rows[0]!["QUERY PLAN"][0].Plan);
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

/** A Queryable that sends every statement to `pool` and keeps a copy of it. */
function recordingPool(pool: pg.Pool, sent: pg.QueryConfig[]): Queryable {
  return {
    query: (textOrConfig: string | pg.QueryConfig, values?: unknown[]) => {
      const config = typeof textOrConfig === "string" ? { text: textOrConfig, values } : textOrConfig;
      sent.push(config);
      return pool.query(config);
    },
  } as unknown as Queryable;
}

/** A Queryable that keeps every statement and runs none (each gets no rows). */
function capturingQueryable(sent: pg.QueryConfig[]): Queryable {
  return {
    query: async (config: pg.QueryConfig) => {
      sent.push(config);
      return { rows: [] };
    },
  } as unknown as Queryable;
}

/** Rows the scans produced or read and filtered out. */
function rowsRead(scans: PlanNode[]): number {
  return scans.reduce((sum, node) => sum + node["Actual Rows"] + (node["Rows Removed by Filter"] ?? 0), 0);
}

interface PlanNode {
  "Parent Relationship"?: string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}
