/**
 * The run's own database and Redis key prefix, so a bench never touches the data of a running
 * service or of the tests, and leaves nothing behind.
 */
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

export async function createDatabase(adminDatabaseUrl: string, name: string): Promise<string> {
  return withAdmin(adminDatabaseUrl, async (client) => {
    await client.query(`CREATE DATABASE ${quote(name)}`);
    const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
    return rows[0]?.server_version.split(" ")[0] ?? "unknown";
  });
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
