import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { createPool, isDatabaseUnavailable, type Pool, withTransaction } from "../../src/db/database.js";
import { ADMIN_DATABASE_URL } from "../support/databases.js";

describe("a transaction whose connection the server ends (PostgreSQL restarting)", () => {
  let pool: Pool;
  let admin: pg.Client;

  beforeAll(async () => {
    pool = createPool(ADMIN_DATABASE_URL, silentLogger, 2);
    admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await pool?.end();
  });

  it("rejects with an unavailable error instead of crashing the process, and the pool recovers", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    try {
      const failed = withTransaction(pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        await admin.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
        await client.query("SELECT pg_sleep(5)");
      });
      const error = await failed.then(
        () => null,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(error)).toBe(true);
      // The 'end' of the socket arrives after the failed query: give it time to be emitted.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(uncaught).toEqual([]);
      expect(
        await withTransaction(pool, async (client) => (await client.query("SELECT 1 AS one")).rows[0]),
      ).toEqual({
        one: 1,
      });
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });
});
