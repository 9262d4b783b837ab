import { once } from "node:events";
import { pino } from "pino";
import { type Core, createCore, openDatabase, prepareDatabase } from "../../app.js";
import { type Config, loadConfig } from "../../config.js";
import type { Logger } from "../../core/logger.js";
import { createLogger } from "../../logging.js";
import type { WebhookEmitter } from "../../webhooks/webhook-emitter.js";
import { webhookEmitterOf } from "../webhook-emitter-of-core.js";

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
  return withDatabase(async (config, logger) => {
    await prepareDatabase(config, logger);
    const core = createCore(config, logger, 2);
    try {
      return await work(core);
    } finally {
      await core.close();
    }
  });
}

/**
 * withCore for a command that changes something others watch: it first waits (a moment at most)
 * for the Redis connection, since a fresh one drops what is published before it is ready (it fails
 * fast rather than queue), and the workers' wake-up or the dashboards' live event would be lost.
 * Without Redis a worker finds new work at its next poll, and a dashboard shows it on reload.
 */
export function withAnnouncingCore<T>(work: (core: Core) => Promise<T>): Promise<T> {
  return withCore(async (core) => {
    await redisReady(core);
    return work(core);
  });
}

/**
 * Runs `work` with a webhook emitter, and stores the events it emitted before the command ends
 * (and the core closes): a change made from the command line is told as one made through the API.
 */
export async function withWebhookEvents<T>(
  core: Core,
  work: (webhookEvents: WebhookEmitter) => Promise<T>,
): Promise<T> {
  const webhookEvents = webhookEmitterOf(core, core.config, core.logger);
  try {
    return await work(webhookEvents);
  } finally {
    await webhookEvents.flush();
  }
}

/**
 * Runs a command with the database open: the configured server, or the embedded one, which the
 * command opens itself, and so only while no service is running on it (its lock says so).
 */
export async function withDatabase<T>(work: (config: Config, logger: Logger) => Promise<T>): Promise<T> {
  const configured = loadConfig();
  const logger = commandLogger(configured);
  const database = await openDatabase(configured, logger);
  try {
    return await work(database.config, logger);
  } finally {
    await database.close();
  }
}

/** Waits up to `ms` for the Redis connection; false when it did not come up in time. */
export async function redisReady(core: Core, ms = 3_000): Promise<boolean> {
  if (!core.redis) return false;
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
