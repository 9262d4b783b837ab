/**
 * PostgreSQL's own count of the work done in the bench database (pg_stat_database): transactions
 * and rows per notification show how many round trips and commits each notification costs, which
 * no throughput number reveals. PostgreSQL publishes these counters with a delay of up to a few
 * seconds, so they are read over long spans (ingest through light load), not per phase.
 */
import type { DatabaseObserver } from "./database-observer.js";

export interface PgCounters {
  /** Per index, table: see DatabaseObserver.relationCounters. */
  relations: Record<string, number>;
  commits: number;
  rollbacks: number;
  inserted: number;
  updated: number;
  deleted: number;
  returned: number;
  fetched: number;
}

export interface PgWorkPerNotification {
  notifications: number;
  /** Committed transactions, read-only ones included: with autocommit, about one per statement. */
  commitsPerNotification: number;
  rowsInsertedPerNotification: number;
  rowsUpdatedPerNotification: number;
  rowsReadPerNotification: number;
  /** Where the reads and updates went, per notification, largest first (above 0.05). */
  byRelation: Record<string, number>;
  totals: Omit<PgCounters, "relations">;
}

export async function readPgCounters(database: DatabaseObserver): Promise<PgCounters> {
  const row = await database.databaseCounters();
  return {
    relations: await database.relationCounters(),
    commits: Number(row.xact_commit),
    rollbacks: Number(row.xact_rollback),
    inserted: Number(row.tup_inserted),
    updated: Number(row.tup_updated),
    deleted: Number(row.tup_deleted),
    returned: Number(row.tup_returned),
    fetched: Number(row.tup_fetched),
  };
}

export function workPerNotification(
  from: PgCounters,
  to: PgCounters,
  notifications: number,
): PgWorkPerNotification {
  const { relations: relationsFrom, ...totalsFrom } = from;
  const { relations: relationsTo, ...totalsTo } = to;
  const delta = Object.fromEntries(
    Object.entries(totalsTo).map(([key, value]) => [key, value - totalsFrom[key as keyof typeof totalsFrom]]),
  ) as unknown as Omit<PgCounters, "relations">;
  const per = (value: number) => (notifications > 0 ? Math.round((value / notifications) * 100) / 100 : 0);
  const byRelation = Object.fromEntries(
    Object.entries(relationsTo)
      .map(([key, value]) => [key, per(value - (relationsFrom[key] ?? 0))] as const)
      .filter(([, value]) => value > 0.05)
      .sort(([, a], [, b]) => b - a),
  );
  return {
    notifications,
    commitsPerNotification: per(delta.commits),
    rowsInsertedPerNotification: per(delta.inserted),
    rowsUpdatedPerNotification: per(delta.updated),
    rowsReadPerNotification: per(delta.fetched),
    byRelation,
    totals: delta,
  };
}
