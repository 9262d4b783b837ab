/**
 * The embedded mode's footprint, for docs/embedded.md: how long `npm start` takes to open a fresh
 * and an existing data folder, and the process's peak PSS under light load (50 notifications a
 * second for 10 s, delivered into the sandbox outbox). Runs dist/ as built: `npm run build` first.
 *
 *   npx tsx bench/embedded-footprint.ts [rate=50] [seconds=10]
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const API_KEY = "footprint-api-key-0123456789";
const rate = Number(process.argv[2] ?? 50);
const seconds = Number(process.argv[3] ?? 10);

function pssMiB(pid: number): number {
  const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
  return Number(match?.[1] ?? 0) / 1024;
}

async function start(dataDir: string): Promise<{ child: ChildProcess; url: string; openMs: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ["--max-semi-space-size=16", "--heap-growing-percent=30", join(ROOT, "dist/entry/start.js")],
    {
      cwd: dataDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        EMBEDDED_DATA_DIR: join(dataDir, "data"),
        PORT: "0",
        HOST: "127.0.0.1",
        API_KEYS: API_KEY,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(buffered);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code} before listening`)));
  });
  return { child, url, openMs: Math.round(performance.now() - started) };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function call(url: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

const dir = mkdtempSync(join(tmpdir(), "ns-footprint-"));
try {
  const fresh = await start(dir);
  await stop(fresh.child);
  const { child, url, openMs } = await start(dir);
  const pid = child.pid ?? 0;
  const idlePss = pssMiB(pid);
  let peakPss = idlePss;
  const sampler = setInterval(() => {
    peakPss = Math.max(peakPss, pssMiB(pid));
  }, 100);
  const user = await call(url, "/api/users/", { email: "footprint@example.com", password: "long enough" });
  const ids: number[] = [];
  for (let tick = 0; tick < rate * seconds; tick++) {
    const sent = call(url, "/api/notifications/", { user: user.id, message: `footprint ${tick}` });
    void sent.then((created) => ids.push(created.id as number));
    await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
  }
  for (;;) {
    const pending = await call(url, "/api/notifications/?status=pending&page_size=1");
    if (pending.count === 0 && ids.length === rate * seconds) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  clearInterval(sampler);
  await stop(child);
  const result = {
    openFreshMs: fresh.openMs,
    openExistingMs: openMs,
    idlePssMiB: Math.round(idlePss),
    peakPssMiB: Math.round(peakPss),
    notifications: ids.length,
    rate,
    seconds,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
