/**
 * Which test files can run here. Most suites talk to the machine's PostgreSQL and Redis; on a
 * laptop with neither, `npm test` must not fail for that reason: those files are left out, and
 * the run says at the end which were not run and why. CI sets TEST_REQUIRE_SERVICES=1, which
 * turns a missing service into a failure, so CI always runs everything.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import pg from "pg";
import { probePython } from "./python.js";

const ADMIN_DATABASE_URL =
  process.env.TEST_ADMIN_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

// A file needs a service when it, or a test module it imports however indirectly (a support
// module built on test-service.js, say), imports a client for it or a support module that uses it.
const NEEDS_POSTGRES = /from "pg"|\/(databases|test-service|fault-fixture|private-postgres|run-cli)\.js"/;
const NEEDS_REDIS =
  /from "ioredis"|\/(databases|test-service|fault-fixture|private-redis|redis-keys|run-cli)\.js"/;
// The Python client's tests need a Python 3.9+.
const NEEDS_PYTHON = /\/python\.js"/;

export interface TestSelection {
  /** Files left out, relative to the repository, with the reason. */
  skipped: { file: string; reason: string }[];
  /** Glob patterns for vitest's exclude. */
  exclude: string[];
}

export async function selectTestFiles(root: string): Promise<TestSelection> {
  const [postgresProblem, redisProblem] = await Promise.all([probePostgres(), probeRedis()]);
  const pythonProblem = probePython();
  const pythonMissing = pythonProblem && `no Python 3.9+ as TEST_PYTHON or python3 (${pythonProblem})`;
  const missing = [
    postgresProblem && `no PostgreSQL at TEST_ADMIN_DATABASE_URL (${postgresProblem})`,
    redisProblem && `no Redis at TEST_REDIS_URL (${redisProblem})`,
    pythonMissing,
  ].filter((problem): problem is string => Boolean(problem));
  if (missing.length > 0 && process.env.TEST_REQUIRE_SERVICES === "1") {
    throw new Error(`TEST_REQUIRE_SERVICES=1 and ${missing.join("; ")}: every suite must run here`);
  }
  const skipped: TestSelection["skipped"] = [];
  for (const file of testFiles(join(root, "test"))) {
    const source = sourceWithTestImports(file, join(root, "test"));
    const reasons = [
      postgresProblem && NEEDS_POSTGRES.test(source) ? missing[0] : null,
      redisProblem && NEEDS_REDIS.test(source) ? `no Redis at TEST_REDIS_URL (${redisProblem})` : null,
      pythonMissing && NEEDS_PYTHON.test(source) ? pythonMissing : null,
    ].filter((reason): reason is string => Boolean(reason));
    if (reasons.length > 0)
      skipped.push({ file: relative(root, file), reason: [...new Set(reasons)].join("; ") });
  }
  return { skipped, exclude: skipped.map((entry) => entry.file) };
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

// This module asks the services whether they answer, which a file importing it does not need.
const THIS_MODULE = fileURLToPath(import.meta.url);

/** The file's source followed by that of every module under `testDir` it imports, transitively. */
function sourceWithTestImports(file: string, testDir: string, seen = new Set<string>()): string {
  seen.add(file);
  const source = readFileSync(file, "utf8");
  const imported = [...source.matchAll(/from "(\.{1,2}\/[^"]+)\.js"/g)]
    .map((match) => resolve(dirname(file), `${match[1]}.ts`))
    .filter(
      (path) => path.startsWith(testDir) && path !== THIS_MODULE && !seen.has(path) && existsSync(path),
    );
  return [source, ...imported.map((path) => sourceWithTestImports(path, testDir, seen))].join("\n");
}

/** Null when PostgreSQL answers, else a short reason. */
async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 2_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return reasonOf(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function probeRedis(): Promise<string | null> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let failure: unknown = null;
  redis.on("error", (error) => {
    failure ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    // The connection's own error says why (ECONNREFUSED); the rejection only that it closed.
    return reasonOf(failure ?? error);
  } finally {
    redis.disconnect();
  }
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: string }).code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
