/**
 * What a bench run does, from flags and environment: `npm run bench -- --quick` for a short run,
 * `--cpu-prof` to profile the service processes (numbers from such a run are not comparable).
 */
import { parseArgs } from "node:util";

export interface BenchOptions {
  mode: "full" | "quick";
  /** Clients of the PostgreSQL ceiling measurement, and autocannon's connections. */
  concurrency: number;
  ceilingSeconds: number;
  warmupSeconds: number;
  ingestSeconds: number;
  lightRatePerSecond: number;
  lightSeconds: number;
  /** Longest wait for the backlog to reach the provider after ingest ends. */
  drainTimeoutSeconds: number;
  cpuProfile: boolean;
  /** Use dist/ as it is instead of running `npm run build` first. */
  skipBuild: boolean;
  /** Wait up to this long for other processes to leave the CPU before measuring (0: do not wait). */
  waitQuietSeconds: number;
  resultsPath: string;
  adminDatabaseUrl: string;
  redisUrl: string;
}

export const USAGE = `npm run bench [-- options]
  --quick              about 5 s per phase instead of the full durations
  --cpu-prof           run the service under node --cpu-prof (profiles in bench/tmp/profiles)
  --wait-quiet=N        wait up to N s for other processes to leave the CPU before measuring
  --skip-build         use dist/ as it is (default: npm run build first)
  --seconds=N          ingest duration (default 15, quick 5; env BENCH_INGEST_SECONDS)
  --connections=N      ceiling clients and ingest connections (default 32; env BENCH_CONNECTIONS)
  --out=PATH           results file (default bench/results.json; quick and profiled runs: bench/tmp/)
Env: BENCH_ADMIN_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres), BENCH_REDIS_URL.`;

export function readOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      "cpu-prof": { type: "boolean", default: false },
      "skip-build": { type: "boolean", default: false },
      "wait-quiet": { type: "string" },
      seconds: { type: "string" },
      connections: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) return "help";
  const quick = values.quick || env.BENCH_QUICK === "1";
  const cpuProfile = values["cpu-prof"];
  const positive = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    // A fallback of 0 means "off"; a value given must still be positive.
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`${name} must be a positive number, got ${raw}`);
    return value;
  };
  const ingestSeconds = positive("--seconds", values.seconds ?? env.BENCH_INGEST_SECONDS, quick ? 5 : 15);
  const defaultOut =
    quick || cpuProfile
      ? `bench/tmp/results-${quick ? "quick" : "full"}${cpuProfile ? "-profiled" : ""}.json`
      : "bench/results.json";
  return {
    mode: quick ? "quick" : "full",
    concurrency: Math.round(positive("--connections", values.connections ?? env.BENCH_CONNECTIONS, 32)),
    ceilingSeconds: quick ? 4 : 10,
    warmupSeconds: quick ? 1 : 2,
    ingestSeconds,
    lightRatePerSecond: 50,
    lightSeconds: quick ? 4 : 10,
    drainTimeoutSeconds: quick ? 30 : 90,
    cpuProfile,
    skipBuild: values["skip-build"],
    waitQuietSeconds: Math.round(
      positive("--wait-quiet", values["wait-quiet"] ?? env.BENCH_WAIT_QUIET_SECONDS, 0),
    ),
    resultsPath: values.out ?? defaultOut,
    adminDatabaseUrl: env.BENCH_ADMIN_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
    redisUrl: env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
  };
}
