import { once } from "node:events";
import { pino } from "pino";
import { type Core, createCore, prepareDatabase } from "../../app.js";
import { type Config, loadConfig } from "../../config.js";
import type { Logger } from "../../core/logger.js";
import { createLogger } from "../../logging.js";

/**
 * A one-shot command's logger: stderr (stdout is the command's output, e.g. --json), and at most
 * warnings unless LOG_LEVEL asks for debug or trace, so routine lines do not bury the answer.
 */
export function commandLogger(config: Config): Logger {
  const level = ["debug", "trace", "silent", "error", "fatal"].includes(config.logLevel)
    ? config.logLevel
    : "warn";
  return createLogger({ ...config, logLevel: level }, pino.destination({ dest: 2, sync: true }));
}

/**
 * Runs a one-shot command on a connected core: like every entry point, it first creates the
 * database when missing and brings the schema up to date, then closes everything again.
 */
export async function withCore<T>(work: (core: Core) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = commandLogger(config);
  await prepareDatabase(config, logger);
  const core = createCore(config, logger, 2);
  try {
    return await work(core);
  } finally {
    await core.close();
  }
}

/** Waits up to `ms` for the Redis connection; false when it did not come up in time. */
export async function redisReady(core: Core, ms = 3_000): Promise<boolean> {
  if (core.redis.status === "ready") return true;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    await once(core.redis, "ready", { signal: controller.signal });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
