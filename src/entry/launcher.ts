/**
 * The long-running modes, shared by the entry points (api.ts, worker.ts, start.ts) and the CLI
 * (`serve`, `worker`), so each is written once. Each loads the configuration, prepares the
 * database and runs until SIGTERM or SIGINT.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createCore, prepareDatabase } from "../app.js";
import { loadConfig } from "../config.js";
import { createLogger } from "../logging.js";
import { lowerCpuPriority, onShutdownSignal, reportChannels } from "./process.js";

// The HTTP layer and the worker are imported only by the mode that runs them: a worker process
// that loaded Fastify, the docs page and the dashboard would carry tens of MiB it never uses.
const loadHttpServer = () => import("./http/http-server.js");
const loadWorker = () => import("./worker/worker-process.js");

/** The HTTP API alone. Any number may run against one database and Redis. */
export async function runApi(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  await prepareDatabase(config, logger);
  const { startHttpServer } = await loadHttpServer();
  const core = createCore(config, logger);
  const app = await startHttpServer(core, logger);
  onShutdownSignal(logger, config.shutdownGraceSeconds, async () => {
    await app.close();
    await core.close();
  });
}

/** The delivery worker alone. Any number may run at once. */
export async function runWorker(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const nice = lowerCpuPriority(config.workerNice, logger);
  await prepareDatabase(config, logger);
  const { startWorker } = await loadWorker();
  const core = createCore(config, logger);
  const worker = startWorker(core);
  reportChannels(logger, config);
  logger.info({ concurrency: config.workerConcurrency, nice }, "delivery worker started");
  onShutdownSignal(logger, config.shutdownGraceSeconds, async () => {
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
 * worker that dies is restarted; SIGTERM stops both cleanly.
 */
export async function runApiWithWorker(workerCommand: WorkerCommand): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
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
  onShutdownSignal(logger, config.shutdownGraceSeconds, async () => {
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
 * The path of a sibling entry script of the module at `moduleUrl`: name.js when built, name.ts
 * under tsx (npm run dev), where the forked child inherits the loader through execArgv.
 */
export function siblingEntry(moduleUrl: string, name: string): string {
  const extension = moduleUrl.endsWith(".ts") ? ".ts" : ".js";
  return fileURLToPath(new URL(`./${name}${extension}`, moduleUrl));
}
