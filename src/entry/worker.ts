/** Runs the delivery worker alone: `npm run start:worker`. Any number may run at once. */
import { createCore, prepareDatabase } from "../app.js";
import { loadConfig } from "../config.js";
import { createLogger } from "../logging.js";
import { onShutdownSignal, reportChannels, runMain } from "./process.js";
import { startWorker } from "./worker/worker-process.js";

await runMain(async () => {
  const config = loadConfig();
  const logger = createLogger(config);
  await prepareDatabase(config, logger);
  const core = createCore(config, logger);
  const worker = startWorker(core);
  reportChannels(logger, config);
  logger.info({ concurrency: config.workerConcurrency }, "delivery worker started");
  onShutdownSignal(logger, config.shutdownGraceSeconds, async () => {
    await worker.stop();
    await core.close();
  });
});
