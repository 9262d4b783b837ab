import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import {
  createPool,
  databaseUnavailability,
  isDatabaseUnavailable,
  type Pool,
  withTransaction,
} from "../../src/db/database.js";
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

describe("what PostgreSQL answers when it refuses work, as the service reads it", () => {
  /**
   * The error a statement on a session of its own gets, with `setup` run on that session first
   * and the session then idle for `idleMs`; or the error the session ended with, if it did.
   */
  const errorOf = async (setup: string[], statement: string, idleMs = 0): Promise<unknown> => {
    const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    let ended: unknown = null;
    client.on("error", (error) => {
      ended = error;
    });
    await client.connect();
    try {
      for (const sql of setup) await client.query(sql);
      await new Promise((resolve) => setTimeout(resolve, idleMs));
      const failed = await client.query(statement).then(
        () => null,
        (error: unknown) => error,
      );
      return ended ?? failed;
    } finally {
      await client.end().catch(() => {});
    }
  };

  it("tells each refusal apart from an error of the request's own", async () => {
    const cases: [string, Promise<unknown>][] = [
      ["read_only", errorOf(["BEGIN READ ONLY"], "CREATE TEMP TABLE t (x int)")],
      ["cancelled", errorOf(["SET statement_timeout = 50"], "SELECT pg_sleep(1)")],
      [
        "out_of_resources",
        errorOf(
          ["SET temp_file_limit = '64kB'", "SET work_mem = '64kB'"],
          "SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC",
        ),
      ],
      [
        "unreachable",
        // The server ends a session idle for longer than idle_session_timeout (57P05).
        errorOf(["SET idle_session_timeout = 100"], "SELECT 1", 400),
      ],
      ["none", errorOf([], "SELECT 'not a number'::int")],
    ];
    for (const [expected, failure] of cases) {
      const error = await failure;
      expect(error, expected).toBeInstanceOf(Error);
      const code = (error as { code?: string }).code;
      expect({ expected, code, got: databaseUnavailability(error) ?? "none" }).toEqual({
        expected,
        code,
        got: expected,
      });
    }
  });
});
