import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import type { Logger } from "../core/logger.js";

export type Pool = pg.Pool;
export type Queryable = pg.Pool | pg.PoolClient;

// bigint ids come back as strings by default; ours stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));

/**
 * pg's timestamptz parser, remembering the last text it parsed: the rows of one statement mostly
 * share their times (one now() for created_at and next_attempt_at of every row an INSERT makes),
 * and parsing the text costs about a microsecond each. Every value is still a Date of its own.
 */
function rememberLastTimestamp(parse: (text: string) => unknown): (text: string) => unknown {
  let lastText: string | null = null;
  let lastParsed: unknown = null;
  return (text) => {
    if (text !== lastText) {
      lastParsed = parse(text);
      lastText = text;
    }
    return lastParsed instanceof Date ? new Date(lastParsed.getTime()) : lastParsed;
  };
}
pg.types.setTypeParser(
  pg.types.builtins.TIMESTAMPTZ,
  rememberLastTimestamp(pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ)),
);

export interface PoolOptions {
  /**
   * No client-side limit on a statement: for migrations, which wait for another process's and may
   * build an index on a large table for minutes.
   */
  unboundedStatements?: boolean;
  /**
   * The embedded database (one session, see embedded-database.ts): one connection kept open for
   * good, and waiting for it is queueing behind this process's own statements, not a server away.
   */
  embedded?: boolean;
}

/** PostgreSQL's advice for data in memory or on SSD: random reads cost about what sequential ones do. */
const RANDOM_PAGE_COST = 1.1;

export function createPool(databaseUrl: string, logger: Logger, max = 10, options: PoolOptions = {}): Pool {
  const embedded = options.embedded === true;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: embedded ? 1 : max,
    // PostgreSQL down or unreachable must cost an API request a few seconds (then 503), not a hang.
    connectionTimeoutMillis: embedded ? 30_000 : 3_000,
    idleTimeoutMillis: embedded ? 0 : 30_000,
    // A query stuck behind a frozen server must fail rather than hang; ours take milliseconds.
    query_timeout: options.unboundedStatements ? undefined : 10_000,
    application_name: "notification-service",
    // Named statements are parsed and planned once per connection: PostgreSQL keeps a generic plan
    // when it costs no more than planning each call (planning was a quarter of its time per
    // delivery, 0.3-0.7 ms per claim). A plan made while a table was small is made again when
    // autovacuum's ANALYZE changes the table's statistics, and at the latest when the connection
    // is replaced (maxLifetimeSeconds). Random index reads are priced as the cached pages they are:
    // at the default random_page_cost of 4 (a spinning disk) the planner scans a table of a few
    // thousand rows whole to find the 30 rows of a batch by id (seen with auto_explain in the bench:
    // every start and finish statement read the whole notifications table).
    // The statements are written for READ COMMITTED, whatever default_transaction_isolation the
    // role or database has: a lease-guarded UPDATE re-reads a row another session changed
    // meanwhile and finds the lease gone. Under REPEATABLE READ or SERIALIZABLE they fail instead
    // (40001): a fifth of concurrent creates and cancels answered 500, and deliveries stalled.
    options: `-c random_page_cost=${RANDOM_PAGE_COST} -c default_transaction_isolation=read\\ committed`,
    maxLifetimeSeconds: embedded ? 0 : 600,
    // The embedded session outlives its connections, and with it the statements prepared on them:
    // a new connection starts from none, as `pg` expects of a fresh session. PGlite ignores the
    // startup options, so random_page_cost is set here too.
    onConnect: embedded
      ? async (client: pg.ClientBase) => {
          await client.query(`DEALLOCATE ALL; SET random_page_cost = ${RANDOM_PAGE_COST}`);
        }
      : undefined,
  });
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on("error", (error) =>
    logger.warn({ err: error.message }, "PostgreSQL connection lost; will reconnect"),
  );
  return pool;
}

/**
 * Runs `work` (a whole transaction) again when PostgreSQL ended it to break a deadlock (40P01),
 * up to `tries` times in all: the other transaction has gone on, so the next try usually passes.
 */
export async function retryingDeadlocks<T>(work: () => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== "40P01" || attempt >= tries) throw error;
    }
  }
}

/**
 * Runs `work` again while PostgreSQL refuses it (see DatabaseUnavailability), a little later each
 * time, for up to `forMs`: for recording what a provider has already done, which, given up, would
 * leave the attempt in progress for its lease to lapse and the message to be sent again. The
 * statements it is for are guarded by the worker's lease, so a try that did commit before its
 * answer was lost makes the next one find the lease gone, as a takeover would.
 */
export async function retryingRefusals<T>(work: () => Promise<T>, forMs = 10_000): Promise<T> {
  const deadline = performance.now() + forMs;
  for (let pauseMs = 100; ; pauseMs = Math.min(pauseMs * 2, 1_000)) {
    try {
      return await work();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || performance.now() + pauseMs > deadline) throw error;
    }
    await sleep(pauseMs);
  }
}

export async function withTransaction<T>(
  pool: Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no 'error' listener of the pool's: the server going away
  // mid-transaction (a PostgreSQL restart) would emit an unhandled 'error' and crash the process.
  // The failing query rejects anyway; the connection is then dropped instead of reused.
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    // A session the server ended is dropped, not reused; so is one on a server that turned
    // read-only, since after a failover a new session may reach the new primary.
    const unavailability = databaseUnavailability(error);
    if (!lost && (unavailability === "unreachable" || unavailability === "read_only")) lost = error as Error;
    throw error;
  } finally {
    client.off("error", onError);
    client.release(lost);
  }
}

/**
 * Creates the configured database when it does not exist yet, so the quick start needs no psql.
 * Connects to the server's maintenance database with the same credentials; when those may not
 * create databases, the original error about the missing database is the one worth showing.
 */
export async function ensureDatabaseExists(databaseUrl: string, logger: Logger): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ""));
  if (!name) return;
  const probe = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") throw error; // 3D000: invalid_catalog_name
  } finally {
    await probe.end().catch(() => {});
  }
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    logger.info({ database: name }, "created database");
  } catch (error) {
    // Another process created it in the meantime: 42P04 when its CREATE had committed, 23505
    // (pg_database's unique index) when both ran at once, as an API and a worker starting together.
    const code = (error as { code?: string }).code;
    if (code !== "42P04" && code !== "23505") throw error;
  } finally {
    await admin.end().catch(() => {});
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Why PostgreSQL cannot do a request's work now, though it may shortly:
 * - `unreachable`: down, restarting, not answering, or the session was ended (an operator's
 *   pg_terminate_backend, 57P01);
 * - `no_free_connection`: it refuses new sessions, every slot of max_connections (or of a role's
 *   or database's CONNECTION LIMIT) being taken (53300);
 * - `out_of_resources`: it ran short of disk space, memory or a configured limit (the rest of
 *   class 53: a full disk, temp_file_limit);
 * - `read_only`: it refuses writes, as a server does after a failover to a read-only or standby
 *   one (25006, `default_transaction_read_only`, a hot standby);
 * - `cancelled`: it cancelled the statement, for a statement_timeout or lock_timeout an operator
 *   set on the role or database, or pg_cancel_backend (57014, 55P03).
 * Null for every other error: those are the request's own, or a bug.
 */
export type DatabaseUnavailability =
  | "unreachable"
  | "no_free_connection"
  | "out_of_resources"
  | "read_only"
  | "cancelled";

const UNAVAILABLE_CODES: Readonly<Record<string, DatabaseUnavailability>> = {
  ECONNREFUSED: "unreachable",
  ECONNRESET: "unreachable",
  ETIMEDOUT: "unreachable",
  EPIPE: "unreachable",
  "57P01": "unreachable", // admin_shutdown: a fast shutdown, or pg_terminate_backend()
  "57P02": "unreachable", // crash_shutdown
  "57P03": "unreachable", // cannot_connect_now: starting up or shutting down
  "57P05": "unreachable", // idle_session_timeout ended the session
  "25P03": "unreachable", // idle_in_transaction_session_timeout ended the session
  "08000": "unreachable",
  "08003": "unreachable",
  "08006": "unreachable",
  "53300": "no_free_connection", // too_many_connections
  "53000": "out_of_resources", // insufficient_resources
  "53100": "out_of_resources", // disk_full
  "53200": "out_of_resources", // out_of_memory
  "53400": "out_of_resources", // configuration_limit_exceeded: temp_file_limit, max_locks_per_transaction
  "25006": "read_only", // read_only_sql_transaction
  "57014": "cancelled", // query_canceled: statement_timeout, pg_cancel_backend()
  "55P03": "cancelled", // lock_not_available: lock_timeout
};

export function databaseUnavailability(error: unknown): DatabaseUnavailability | null {
  const code = (error as { code?: string } | null)?.code ?? "";
  const byCode = Object.hasOwn(UNAVAILABLE_CODES, code) ? UNAVAILABLE_CODES[code] : undefined;
  if (byCode) return byCode;
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|timeout exceeded when trying to connect|connection timeout|Client has encountered a connection error|Query read timeout/i.test(
    message,
  )
    ? "unreachable"
    : null;
}

/** PostgreSQL cannot do the work now (see DatabaseUnavailability): the request may succeed later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailability(error) !== null;
}

/**
 * A named statement: PostgreSQL parses it once per connection, and keeps a generic plan when that
 * costs no more than planning each call. For the statements every delivery and every create runs
 * that find their rows by id, whose best plan does not depend on the values.
 */
export function prepared(name: string, text: string, values: unknown[]): pg.QueryConfig {
  return { name, text, values };
}

/**
 * An unnamed statement, planned for each call's values: for the claim of receipt checks, whose
 * best plan depends on how many checks are due now. (The claim of due notifications had the same
 * reason until migration 017 left it a single index to use: a generic plan, or a custom one made
 * from statistics gathered while nothing was pending, read every pending row through the index on
 * status and sorted them for each claim.)
 */
export function plannedEachCall(text: string, values: unknown[]): pg.QueryConfig {
  return { text, values };
}
