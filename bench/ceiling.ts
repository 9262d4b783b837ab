/**
 * What PostgreSQL alone allows on this machine: single-row INSERT transactions per second into a
 * scratch table of the bench database, at the bench's concurrency. pgbench (C, prepared
 * statements) when installed is the ceiling; a loop of node `pg` clients shows what one Node
 * process can get out of the same server, which bounds a single-process API as well.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

const SCRATCH_TABLE = `CREATE TABLE IF NOT EXISTS bench_ceiling (
  id bigserial PRIMARY KEY,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;
const INSERT = "INSERT INTO bench_ceiling (body) VALUES ('ceiling')";

export interface CeilingResult {
  tool: "pgbench" | "node-pg";
  clients: number;
  seconds: number;
  insertsPerSecond: number;
  /** Mean time per INSERT transaction as the client saw it. */
  meanLatencyMs: number;
}

export async function prepareCeilingTable(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(SCRATCH_TABLE);
  } finally {
    await client.end();
  }
}

export async function dropCeilingTable(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("DROP TABLE IF EXISTS bench_ceiling");
  } finally {
    await client.end();
  }
}

export async function hasPgbench(): Promise<boolean> {
  try {
    await run("pgbench", ["--version"]);
    return true;
  } catch {
    return false;
  }
}

export async function pgbenchCeiling(
  databaseUrl: string,
  clients: number,
  seconds: number,
): Promise<CeilingResult> {
  const dir = await mkdtemp(join(tmpdir(), "ns-bench-"));
  try {
    const script = join(dir, "insert.sql");
    await writeFile(script, `${INSERT};\n`);
    const { stdout } = await run(
      "pgbench",
      [
        "-n",
        "-M",
        "prepared",
        "-c",
        String(clients),
        "-j",
        "2",
        "-T",
        String(seconds),
        "-f",
        script,
        databaseUrl,
      ],
      { maxBuffer: 1024 * 1024 },
    );
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
    const latency = /latency average = ([\d.]+) ms/.exec(stdout);
    if (!tps) throw new Error(`could not read pgbench's output:\n${stdout}`);
    return {
      tool: "pgbench",
      clients,
      seconds,
      insertsPerSecond: Number(tps[1]),
      meanLatencyMs: latency ? Number(latency[1]) : Number.NaN,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `clients` connections, each inserting one row per transaction (autocommit) as fast as it can. */
export async function nodePgCeiling(
  databaseUrl: string,
  clients: number,
  seconds: number,
): Promise<CeilingResult> {
  const connections = await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  try {
    const prepared = { name: "bench_ceiling_insert", text: INSERT };
    const endsAt = performance.now() + seconds * 1000;
    let inserts = 0;
    const startedAt = performance.now();
    await Promise.all(
      connections.map(async (client) => {
        while (performance.now() < endsAt) {
          await client.query(prepared);
          inserts += 1;
        }
      }),
    );
    const elapsedSeconds = (performance.now() - startedAt) / 1000;
    return {
      tool: "node-pg",
      clients,
      seconds,
      insertsPerSecond: inserts / elapsedSeconds,
      meanLatencyMs: (elapsedSeconds * 1000 * clients) / inserts,
    };
  } finally {
    await Promise.all(connections.map((client) => client.end().catch(() => {})));
  }
}
