/** Runs the HTTP API alone: `npm run start:api`. Any number may run against one database and Redis. */
import { createCore, prepareDatabase } from "../app.js";
import { loadConfig } from "../config.js";
import { createLogger } from "../logging.js";
import { startHttpServer } from "./http/http-server.js";
import { onShutdownSignal, runMain } from "./process.js";

await runMain(async () => {
  const config = loadConfig();
  const logger = createLogger(config);
  await prepareDatabase(config, logger);
  const core = createCore(config, logger);
  const app = await startHttpServer(core, logger);
  onShutdownSignal(logger, config.shutdownGraceSeconds, async () => {
    await app.close();
    await core.close();
  });
});
