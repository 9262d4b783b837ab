/**
 * The long-running modes, shared by the entry points (api.ts, worker.ts, start.ts) and the CLI
 * (`serve`, `worker`), so each is written once. Each loads the configuration, prepares the
 * database and runs until SIGTERM or SIGINT.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Logger as PinoLogger } from "pino";
import { createCore, openDatabase, prepareDatabase } from "../app.js";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { createLogger } from "../logging.js";
import { lowerCpuPriority, reportChannels, reportSharedState } from "./process.js";
import { handleShutdown, type Shutdown } from "./shutdown.js";

// The HTTP layer and the worker are imported only by the mode that runs them: a worker process
// that loaded Fastify, the docs page and the dashboard would carry tens of MiB it never uses.
const loadHttpServer = () => import("./http/http-server.js");
const loadWorker = () => import("./worker/worker-process.js");

/**
 * Why the API and the worker must share one process under this configuration, or null when they
 * may run apart: the embedded database admits one process, and without Redis the wake-ups, live
 * events, rate limits and Telegram pacing reach only the process they are in.
 */
export function whyOneProcess(config: Config): string | null {
  if (config.embeddedDatabase) {
    return "the database is the embedded one (no DATABASE_URL), which one process at a time may open";
  }
  if (config.redisUrl === null) {
    return "REDIS_URL is not set, so wake-ups, live events and rate limits stay inside one process";
  }
  return null;
}

/** `command` runs the API or the worker alone, which needs a PostgreSQL server and Redis. */
function refuseToRunAlone(config: Config, command: string): void {
  const reason = whyOneProcess(config);
  if (reason) {
    throw new ConfigError(
      `${command} runs one half of the service, but ${reason}: run \`npm start\` (API and worker in one process), or set DATABASE_URL and REDIS_URL`,
    );
  }
}

/** The HTTP API alone. Any number may run against one database and Redis. */
export async function runApi(): Promise<void> {
  const config = loadConfig();
  refuseToRunAlone(config, "npm run start:api");
  const logger = createLogger(config);
  const shutdown = handleShutdown(logger, config.shutdownGraceSeconds);
  await prepareDatabase(config, logger);
  const { startHttpServer } = await loadHttpServer();
  const core = createCore(config, logger);
  const app = await startHttpServer(core, logger);
  shutdown.whenStopping(async () => {
    await app.close();
    await core.close();
  });
}

/** The delivery worker alone. Any number may run at once. */
export async function runWorker(command = "npm run start:worker"): Promise<void> {
  const config = loadConfig();
  refuseToRunAlone(config, command);
  const logger = createLogger(config);
  const shutdown = handleShutdown(logger, config.shutdownGraceSeconds);
  const nice = lowerCpuPriority(config.workerNice, logger);
  await prepareDatabase(config, logger);
  const { startWorker } = await loadWorker();
  const core = createCore(config, logger);
  const worker = startWorker(core);
  reportChannels(logger, config);
  logger.info({ concurrency: config.workerConcurrency, nice }, "delivery worker started");
  shutdown.whenStopping(async () => {
    await worker.stop();
    await core.close();
  });
}

/**
 * V8 memory settings for the forked worker, the same `npm start` gives the API. An old generation
 * that grows by 30% of what survived the last full collection rather than V8's default of up to 4
 * times: under sustained load the live heap stays near 35 MiB, and the default let garbage promoted
 * from requests and deliveries in flight pile up to 100 MiB before collecting it (API under ingest:
 * peak RSS 210 -> 135 MiB at the same CPU per request). With the old generation held that tight,
 * a 16 MiB young generation lets that short-lived garbage die young instead of being promoted:
 * against 4 MiB, about 15-20% less CPU per delivery in the worker, for ~15 MiB more RSS.
 */
const WORKER_V8_FLAGS = ["--max-semi-space-size=16", "--heap-growing-percent=30"];

/** `execArgv` plus each of `flags` it does not set already (npm start passes the same ones). */
export function withFlags(execArgv: readonly string[], flags: readonly string[]): string[] {
  const nameOf = (flag: string) => flag.split("=")[0];
  const given = new Set(execArgv.map(nameOf));
  return [...execArgv, ...flags.filter((flag) => !given.has(nameOf(flag)))];
}

/** How to start a worker process: a script and its arguments (e.g. worker.js, or cli.js worker). */
export interface WorkerCommand {
  entry: string;
  args: string[];
}

/**
 * The API in this process and the delivery worker in a child process, so both cores are used. A
 * worker that dies is restarted. SIGTERM stops both cleanly, and so does an error nothing caught
 * in this process (which then exits 1): the worker is told to stop and waited for, rather than
 * left to run on beside the worker of whatever restarts this process.
 */
export async function runApiWithWorker(workerCommand: WorkerCommand): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const shutdown = handleShutdown(logger, config.shutdownGraceSeconds);
  if (whyOneProcess(config)) return runApiAndWorkerInOneProcess(config, logger, shutdown);
  await prepareDatabase(config, logger);

  let stopping = false;
  const startWorkerProcess = () => {
    const child = fork(workerCommand.entry, workerCommand.args, {
      stdio: "inherit",
      execArgv: withFlags(process.execArgv, WORKER_V8_FLAGS),
    });
    child.on("exit", (code, signal) => {
      if (stopping) return;
      logger.error({ code, signal }, "delivery worker exited; restarting it");
      setTimeout(() => {
        if (!stopping) worker = startWorkerProcess();
      }, 1_000);
    });
    return child;
  };
  let worker = startWorkerProcess();

  const { startHttpServer } = await loadHttpServer();
  const core = createCore(config, logger);
  const app = await startHttpServer(core, logger);
  shutdown.whenStopping(async () => {
    stopping = true;
    const workerExited = new Promise<void>((resolve) => {
      if (worker.exitCode !== null || worker.signalCode !== null) resolve();
      else worker.once("exit", () => resolve());
    });
    worker.kill("SIGTERM");
    await app.close();
    await core.close();
    await workerExited;
  });
}

/**
 * The API and the delivery worker in this process, on the embedded database or without Redis:
 * for trying the service and small installs. SIGTERM drains the worker, then closes the API, the
 * core and last the database (a clean shutdown, no recovery needed at the next start).
 */
async function runApiAndWorkerInOneProcess(
  configured: Config,
  logger: PinoLogger,
  shutdown: Shutdown,
): Promise<void> {
  const database = await openDatabase(configured, logger);
  try {
    const { config } = database;
    await prepareDatabase(config, logger);
    const [{ startHttpServer }, { startWorker }] = await Promise.all([loadHttpServer(), loadWorker()]);
    const core = createCore(config, logger);
    const worker = startWorker(core);
    reportChannels(logger, config);
    logger.info({ concurrency: config.workerConcurrency, inProcess: true }, "delivery worker started");
    const app = await startHttpServer(core, logger);
    reportSharedState(logger, configured);
    shutdown.whenStopping(async () => {
      await worker.stop();
      await app.close();
      await core.close();
      await database.close();
    });
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/**
 * The path of a sibling entry script of the module at `moduleUrl`: name.js when built, name.ts
 * under tsx (npm run dev), where the forked child inherits the loader through execArgv.
 */
export function siblingEntry(moduleUrl: string, name: string): string {
  const extension = moduleUrl.endsWith(".ts") ? ".ts" : ".js";
  return fileURLToPath(new URL(`./${name}${extension}`, moduleUrl));
}
