/**
 * Migrations on the machine's PostgreSQL: applied once, in order; a migration that needs a table
 * lock a long transaction holds (an old version's worker during a rolling upgrade) waits in short
 * tries, so the service's own queries on that table never queue behind it, and gives up with a
 * clear error after its limit, applying nothing; a database a newer build has migrated is named.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, ensureDatabaseExists, type Pool } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { migrations } from "../../src/db/migrations/index.js";
import { captureLogs } from "../support/captured-logs.js";
import { newTestDatabase } from "../support/databases.js";
import { waitFor } from "../support/wait-for.js";

const PROBE = { name: "999-test-probe", sql: "ALTER TABLE webhook_events ADD COLUMN probe integer" };

describe("migrations", () => {
  const database = newTestDatabase();
  const logs = captureLogs();
  let pool: Pool;
  /** Another session, as a running process's would be. */
  let other: pg.Client;

  beforeAll(async () => {
    await ensureDatabaseExists(database.url, logs.logger);
    pool = createPool(database.url, logs.logger, 2);
    other = new pg.Client({ connectionString: database.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await pool?.end();
    await database.drop();
  });

  const appliedNames = async () =>
    (await pool.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name")).rows.map(
      (row) => row.name,
    );
  const hasProbeColumn = async () =>
    (
      await pool.query(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'webhook_events' AND column_name = 'probe'",
      )
    ).rowCount === 1;

  it("applies every migration once, in order, and nothing the second time", async () => {
    expect(await migrate(pool, logs.logger)).toEqual(migrations.map((migration) => migration.name));
    expect(await migrate(pool, logs.logger)).toEqual([]);
    expect(await appliedNames()).toEqual(migrations.map((migration) => migration.name).sort());
  });

  it("waits for a lock a long transaction holds in short tries, without holding up others' queries, then applies", async () => {
    await other.query("BEGIN");
    await other.query("SELECT count(*) FROM webhook_events");
    const migrating = migrate(pool, logs.logger, {
      migrations: [...migrations, PROBE],
      lockTimeoutMs: 100,
      maxLockWaitMs: 60_000,
    });
    const waitLines = () =>
      logs.lines.filter((line) => line.message.startsWith("a migration waits for a table lock"));
    await waitFor("the migration's second try", () => (waitLines().length >= 2 ? true : undefined));
    expect(waitLines()[0]?.fields).toMatchObject({ migration: PROBE.name, tries: 1 });

    // A third session reads the table meanwhile: a migration waiting without a limit would sit in
    // the lock queue ahead of it, and this read would wait until the long transaction ends.
    const reader = new pg.Client({ connectionString: database.url });
    await reader.connect();
    try {
      await reader.query("SET statement_timeout = 5000");
      for (let round = 0; round < 5; round += 1) {
        await reader.query("SELECT count(*) FROM webhook_events");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await reader.end();
    }
    expect(await hasProbeColumn()).toBe(false);

    await other.query("COMMIT");
    expect(await migrating).toEqual([PROBE.name]);
    expect(await hasProbeColumn()).toBe(true);
    expect(await appliedNames()).toContain(PROBE.name);
    await pool.query("ALTER TABLE webhook_events DROP COLUMN probe");
    await pool.query("DELETE FROM schema_migrations WHERE name = $1", [PROBE.name]);
  });

  it("gives up after its limit with an error that names the migration, and applies nothing of it", async () => {
    await other.query("BEGIN");
    await other.query("SELECT count(*) FROM webhook_events");
    try {
      await expect(
        migrate(pool, logs.logger, {
          migrations: [...migrations, PROBE],
          lockTimeoutMs: 100,
          maxLockWaitMs: 800,
        }),
      ).rejects.toThrow(
        /migration 999-test-probe could not take its table locks .* nothing of it was applied/,
      );
    } finally {
      await other.query("COMMIT");
    }
    expect(await hasProbeColumn()).toBe(false);
    expect(await appliedNames()).not.toContain(PROBE.name);
  });

  it("waits for another process's migrations and runs its own past an operator's statement_timeout and lock_timeout", async () => {
    // Set on the database, as an operator does: every session opened after this has them.
    await other.query(`ALTER DATABASE "${database.name}" SET statement_timeout = '100ms'`);
    await other.query(`ALTER DATABASE "${database.name}" SET lock_timeout = '100ms'`);
    const timed = createPool(database.url, logs.logger, 1);
    try {
      // Another process migrating: it holds the migration lock for longer than either timeout.
      await other.query("SELECT pg_advisory_lock(7302001)");
      const migrating = migrate(timed, logs.logger, {
        migrations: [...migrations, { ...PROBE, sql: `SELECT pg_sleep(0.3); ${PROBE.sql}` }],
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      await other.query("SELECT pg_advisory_unlock(7302001)");
      expect(await migrating).toEqual([PROBE.name]);
      // The settings are the operator's to keep: the service's own statements still have them.
      await expect(timed.query("SELECT pg_sleep(0.3)")).rejects.toMatchObject({ code: "57014" });
    } finally {
      await other.query(`ALTER DATABASE "${database.name}" RESET ALL`);
      await timed.end();
    }
    expect(await hasProbeColumn()).toBe(true);
    await pool.query("ALTER TABLE webhook_events DROP COLUMN probe");
    await pool.query("DELETE FROM schema_migrations WHERE name = $1", [PROBE.name]);
  });

  it("names the migrations a newer build applied, and goes on", async () => {
    await pool.query("INSERT INTO schema_migrations (name) VALUES ('999-from-a-newer-build')");
    expect(await migrate(pool, logs.logger)).toEqual([]);
    const warning = logs.lines.find((line) =>
      line.message.startsWith("the database has migrations this build"),
    );
    expect(warning?.fields).toMatchObject({ migrations: ["999-from-a-newer-build"] });
  });
});
