/**
 * `npm start`: everything a newcomer needs in one command. Prepares the database, serves the API
 * in this process and runs the delivery worker in a child process, so both cores are used.
 * A worker that dies is restarted; SIGTERM stops both cleanly.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createCore, prepareDatabase } from "../app.js";
import { loadConfig } from "../config.js";
import { createLogger } from "../logging.js";
import { startHttpServer } from "./http/http-server.js";
import { onShutdownSignal, runMain } from "./process.js";

const WORKER_ENTRY = fileURLToPath(new URL("./worker.js", import.meta.url));

await runMain(async () => {
  const config = loadConfig();
  const logger = createLogger(config);
  await prepareDatabase(config, logger);

  let stopping = false;
  const startWorkerProcess = () => {
    // Under tsx (npm run dev) the sibling is worker.ts; execArgv carries the loader along.
    const entry = import.meta.url.endsWith(".ts") ? WORKER_ENTRY.replace(/\.js$/, ".ts") : WORKER_ENTRY;
    const child = fork(entry, [], { stdio: "inherit" });
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
});
