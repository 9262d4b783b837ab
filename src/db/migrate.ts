import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../core/logger.js";
import type { Pool } from "./database.js";
import { migrations as knownMigrations } from "./migrations/index.js";

// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK = 7_302_001;

export interface Migration {
  name: string;
  sql: string;
}

export interface MigrateOptions {
  /** This build's migrations, oldest first (tests add their own). */
  migrations?: readonly Migration[];
  /**
   * How long one try of a migration may wait for a table lock. A migration that changes a table
   * waits behind every transaction using it, and while it waits every later query on that table
   * waits behind it: bounded, the service stalls for at most this long, between tries.
   */
  lockTimeoutMs?: number;
  /** How long a migration goes on trying before start-up fails, saying which one and why. */
  maxLockWaitMs?: number;
}

const LOCK_NOT_AVAILABLE = "55P03";
const MAX_PAUSE_MS = 10_000;

/**
 * Applies the migrations this build knows and the database lacks, in order, each in its own
 * transaction. An advisory lock lets any number of processes start at once safely. Each try
 * waits for table locks only `lockTimeoutMs`, so a long transaction of a running process (an old
 * version's, during a rolling upgrade) delays the migration, not every query of the service.
 */
export async function migrate(pool: Pool, logger: Logger, options: MigrateOptions = {}): Promise<string[]> {
  const { migrations = knownMigrations, lockTimeoutMs = 3000, maxLockWaitMs = 10 * 60_000 } = options;
  const client = await pool.connect();
  // The server going away mid-migration fails the query; without a listener it would also crash.
  const onError = () => {};
  client.on("error", onError);
  try {
    // Waiting for another process's migrations takes as long as they do: a statement_timeout or
    // lock_timeout an operator set on the role or database must not fail this start-up for it.
    // (The advisory lock is the session's, so it outlives this transaction.)
    await client.query("BEGIN");
    try {
      await client.query("SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0");
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
    // Created only when missing, so a process starting with nothing to apply writes nothing: on a
    // server refusing writes (a failover to a read-only one) it starts, and serves what it can.
    const { rows: tables } = await client.query<{ present: boolean }>(
      "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
    );
    if (!tables[0]?.present) {
      await client.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
      );
    }
    const { rows } = await client.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name");
    const applied = new Set(rows.map((row) => row.name));
    const known = new Set(migrations.map((migration) => migration.name));
    const newer = [...applied].filter((name) => !known.has(name));
    if (newer.length > 0) {
      logger.warn(
        { migrations: newer },
        "the database has migrations this build does not know: a newer version has run against it; this build goes on, but only the newer one is tested against this schema",
      );
    }
    const appliedNow: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      const startedAt = Date.now();
      for (let tries = 1; ; tries += 1) {
        try {
          await client.query("BEGIN");
          // Its waits for table locks are bounded here; its work (an index on a large table) is
          // not, whatever statement_timeout the role or database has.
          await client.query(
            `SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}; SET LOCAL statement_timeout = 0`,
          );
          await client.query(migration.sql);
          await client.query("INSERT INTO schema_migrations (name) VALUES ($1)", [migration.name]);
          await client.query("COMMIT");
          break;
        } catch (error) {
          await client.query("ROLLBACK");
          if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
          const waited = Date.now() - startedAt;
          if (waited >= maxLockWaitMs) {
            throw new Error(
              `migration ${migration.name} could not take its table locks in ${Math.round(waited / 1000)} s: a long transaction holds them (see pg_stat_activity); nothing of it was applied`,
            );
          }
          const pauseMs = Math.min(MAX_PAUSE_MS, 500 * 2 ** (tries - 1), maxLockWaitMs - waited);
          logger.warn(
            { migration: migration.name, tries, retryInMs: pauseMs },
            "a migration waits for a table lock another transaction holds; trying again",
          );
          await sleep(pauseMs);
        }
      }
      appliedNow.push(migration.name);
      logger.info({ migration: migration.name }, "applied migration");
    }
    return appliedNow;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    client.off("error", onError);
    client.release();
  }
}
