/**
 * The run's own database and Redis key prefix, so a bench never touches the data of a running
 * service or of the tests, and leaves nothing behind.
 */
import { readFile } from "node:fs/promises";
import { Redis } from "ioredis";
import pg from "pg";

export interface Scratch {
  databaseName: string;
  databaseUrl: string;
  redisPrefix: string;
}

export function scratchNames(adminDatabaseUrl: string, startedAt: Date): Scratch {
  const stamp = startedAt.toISOString().replace(/\D/g, "").slice(0, 14);
  const databaseName = `ns_bench_${stamp}_${process.pid}`;
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${databaseName}`;
  return { databaseName, databaseUrl: url.toString(), redisPrefix: `ns-bench-${stamp}-${process.pid}` };
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

async function withAdmin<T>(adminDatabaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Creates the run's database; says the server's version and, when it runs on this machine, the
 * pid of its postmaster (the parent of every backend), so that only that cluster's processes are
 * counted as the service's PostgreSQL: tests run meanwhile against another cluster are not.
 */
export async function createDatabase(
  adminDatabaseUrl: string,
  name: string,
): Promise<{ version: string; postmasterPid: number | null }> {
  return withAdmin(adminDatabaseUrl, async (client) => {
    await client.query(`CREATE DATABASE ${quote(name)}`);
    const { rows } = await client.query<{ server_version: string; backend: number }>(
      "SELECT current_setting('server_version') AS server_version, pg_backend_pid() AS backend",
    );
    const version = rows[0]?.server_version.split(" ")[0] ?? "unknown";
    const postmasterPid = rows[0] ? await parentOf(rows[0].backend) : null;
    return { version, postmasterPid };
  });
}

async function parentOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // After "(command) ", the state, then the parent's pid.
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(parent) && parent > 1 ? parent : null;
  } catch {
    return null; // a server on another machine or in a container: count every postgres process
  }
}

export async function dropDatabase(adminDatabaseUrl: string, name: string): Promise<void> {
  // FORCE (PostgreSQL 13+) ends sessions a killed service may have left behind.
  await withAdmin(adminDatabaseUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`),
  );
}

export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return deleted;
}
