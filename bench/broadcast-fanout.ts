/**
 * Does a 100,000-recipient broadcast hold other traffic up? Runs the API and one worker from
 * source (the sandbox delivers), against a scratch database with 100,000 users, and sends a light
 * trickle of plain notifications (POST /api/notifications/, paced by the clock) twice: alone, then
 * while the broadcast fans out. For each phase: the POST's response time, and creation to sent as
 * PostgreSQL recorded it (created_at to sent_at, so the load generator's own timers do not count).
 * Also times the broadcast's POST, its GET (the counts over 100,000 notifications), the fan-out,
 * and the cancel of what was still pending at the end.
 *
 *   npx tsx bench/broadcast-fanout.ts [--recipients 100000] [--rate 10] [--baseline-seconds 20]
 *                                      [--max-backlog 2000]
 *
 * Not part of `npm run bench`: it needs a few minutes of a machine to itself. Results go to stdout.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { ApiClient } from "./api-client.js";
import { API_KEY, authHeaders, freePort } from "./service-env.js";
import { epochMs, type LatencySummary, sleep, summarize } from "./stats.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

const { values: args } = parseArgs({
  options: {
    recipients: { type: "string", default: "100000" },
    rate: { type: "string", default: "10" },
    "baseline-seconds": { type: "string", default: "20" },
    "max-backlog": { type: "string", default: "200" },
  },
});
const recipients = Number(args.recipients);
const rate = Number(args.rate);
const baselineSeconds = Number(args["baseline-seconds"]);

interface Phase {
  name: string;
  seconds: number;
  response: LatencySummary;
  createdToSent: LatencySummary;
  notSent: number;
}

async function main(): Promise<void> {
  const database = `bench_broadcast_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_PREFIX: database,
    API_KEYS: API_KEY,
    DELIVERY_SANDBOX: "true",
    CHANNEL_ORDER: "sms",
    BROADCAST_MAX_BACKLOG: args["max-backlog"],
  };
  const processes: ChildProcess[] = [];
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // DROP DATABASE ... WITH (FORCE) at the end ends what is still connected.
  pool.on("error", () => {});
  try {
    processes.push(start("api", env));
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitReady(`${baseUrl}/healthz`);
    processes.push(start("worker", env));
    const client = new ApiClient(baseUrl, authHeaders());
    await pool.query(
      `INSERT INTO users (email, password_hash, phone_number)
       SELECT 'r' || g || '@example.com', 'not-a-login', '+79990001122' FROM generate_series(1, $1) g`,
      [recipients],
    );
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, phone_number)
       VALUES ('light@example.com', 'not-a-login', '+79990001122') RETURNING id`,
    );
    const lightUser = Number(rows[0]!.id);
    await pool.query("ANALYZE");
    log(`${recipients} users; warming up`);
    await trickle(client, pool, lightUser, "warm-up", forSeconds(3));

    const phases: Phase[] = [];
    phases.push(await trickle(client, pool, lightUser, "alone", forSeconds(baselineSeconds)));

    const userIds = Array.from({ length: recipients }, (_, i) => i + 1);
    const postStart = epochMs();
    const created = await client.post("/api/broadcasts/", { users: userIds, message: "bench broadcast" });
    const postMs = epochMs() - postStart;
    if (created.status !== 202) throw new Error(`broadcast: ${created.status} ${created.body}`);
    const broadcastId = (JSON.parse(created.body) as { id: number }).id;
    log(`broadcast ${broadcastId} accepted in ${postMs.toFixed(0)} ms; light load while it fans out`);
    const fanOutStart = epochMs();
    let fanOutMs = Number.NaN;
    const getTimes: number[] = [];
    const watcher = (async () => {
      for (;;) {
        const before = epochMs();
        const response = await fetch(`${baseUrl}/api/broadcasts/${broadcastId}/`, { headers: authHeaders() });
        const body = (await response.json()) as { status: string; fanned_out: number };
        getTimes.push(epochMs() - before);
        if (body.status === "done") {
          fanOutMs = epochMs() - fanOutStart;
          return;
        }
        await sleep(1000);
      }
    })();
    const reporter = setInterval(
      () =>
        void progress(pool, broadcastId).then((row) => log(`fan-out: ${row.fanned_out} of ${recipients}`)),
      10_000,
    );
    phases.push(await trickle(client, pool, lightUser, "during the fan-out", () => !Number.isNaN(fanOutMs)));
    clearInterval(reporter);
    await watcher;
    const cancelStart = epochMs();
    const cancelled = await client.post(`/api/broadcasts/${broadcastId}/cancel/`, {});
    const cancelMs = epochMs() - cancelStart;
    const counts = (JSON.parse(cancelled.body) as { counts: Record<string, number> }).counts;
    client.close();

    console.log(
      `\n## Broadcast of ${recipients} recipients, light load ${rate}/s (BROADCAST_MAX_BACKLOG=${args["max-backlog"]})\n`,
    );
    console.log("| phase | seconds | POST p50 / p99 / max ms | created→sent p50 / p99 / max ms | not sent |");
    console.log("|---|---|---|---|---|");
    for (const phase of phases) {
      const r = phase.response;
      const s = phase.createdToSent;
      console.log(
        `| ${phase.name} | ${phase.seconds} | ${r.p50} / ${r.p99} / ${r.max} | ${s.p50} / ${s.p99} / ${s.max} | ${phase.notSent} |`,
      );
    }
    const gets = summarize(getTimes);
    console.log(`\n- POST /api/broadcasts/ with ${recipients} ids: ${postMs.toFixed(0)} ms`);
    console.log(`- fan-out, POST to done: ${(fanOutMs / 1000).toFixed(1)} s`);
    console.log(
      `- GET /api/broadcasts/{id}/ during it: p50 ${gets.p50} ms, max ${gets.max} ms (${gets.count} reads)`,
    );
    console.log(`- cancel at the end: ${cancelMs.toFixed(0)} ms; counts then: ${JSON.stringify(counts)}`);
  } finally {
    for (const child of processes) child.kill("SIGTERM");
    await sleep(1500);
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * POSTs `rate` plain notifications a second until `done()` says stop (checked before each POST),
 * then waits up to a minute for them to be sent and reads how long each took.
 */
async function trickle(
  client: ApiClient,
  pool: pg.Pool,
  user: number,
  name: string,
  done: () => boolean,
): Promise<Phase> {
  const started = epochMs();
  const responses: number[] = [];
  const ids: number[] = [];
  const inFlight: Promise<void>[] = [];
  for (let n = 0; !done(); n++) {
    const wait = started + (n * 1000) / rate - epochMs();
    if (wait > 0) await sleep(wait);
    const postStart = epochMs();
    inFlight.push(
      client.post("/api/notifications/", { user, message: `light ${name} ${n}` }).then((response) => {
        responses.push(epochMs() - postStart);
        if (response.status === 201) ids.push((JSON.parse(response.body) as { id: number }).id);
      }),
    );
  }
  const seconds = Math.round((epochMs() - started) / 1000);
  await Promise.all(inFlight);
  const deadline = epochMs() + 60_000;
  let rows: { ms: number | null }[] = [];
  while (epochMs() < deadline) {
    ({ rows } = await pool.query<{ ms: number | null }>(
      "SELECT extract(epoch FROM sent_at - created_at)::float8 * 1000 AS ms FROM notifications WHERE id = ANY($1)",
      [ids],
    ));
    if (rows.every((row) => row.ms !== null)) break;
    await sleep(250);
  }
  const sent = rows.flatMap((row) => (row.ms === null ? [] : [row.ms]));
  return {
    name,
    seconds,
    response: summarize(responses),
    createdToSent: summarize(sent),
    notSent: responses.length - sent.length,
  };
}

const forSeconds = (seconds: number) => {
  const until = epochMs() + seconds * 1000;
  return () => epochMs() >= until;
};

async function progress(pool: pg.Pool, id: number) {
  const { rows } = await pool.query<{ fanned_out: number }>(
    "SELECT fanned_out FROM broadcasts WHERE id = $1",
    [id],
  );
  return rows[0]!;
}

function start(entry: "api" | "worker", env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, `src/entry/${entry}.ts`)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return child;
}

async function waitReady(url: string): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} never answered`);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

await main();
