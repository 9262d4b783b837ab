import type { Logger } from "../core/logger.js";
import type { Pool } from "./database.js";
import { migrations } from "./migrations/index.js";

// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK = 7_302_001;

/**
 * Applies the migrations this build knows and the database lacks, in order, each in its own
 * transaction. An advisory lock lets any number of processes start at once safely.
 */
export async function migrate(pool: Pool, logger: Logger): Promise<string[]> {
  const client = await pool.connect();
  // The server going away mid-migration fails the query; without a listener it would also crash.
  const onError = () => {};
  client.on("error", onError);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const { rows } = await client.query<{ name: string }>("SELECT name FROM schema_migrations");
    const applied = new Set(rows.map((row) => row.name));
    const appliedNow: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      try {
        await client.query("BEGIN");
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations (name) VALUES ($1)", [migration.name]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
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
