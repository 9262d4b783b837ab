/** Process concerns shared by the entry points: start-up failures, the start-up reports, CPU priority. */
import { getPriority, setPriority } from "node:os";
import { type Config, ConfigError } from "../config.js";
import type { Logger } from "../core/logger.js";
import { CHANNELS } from "../core/model.js";

/** Runs `main`; a bad configuration or a failed start ends the process with one clear line. */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const message =
      error instanceof ConfigError ? `configuration error: ${error.message}` : startupFailure(error);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}

function startupFailure(error: unknown): string {
  const code = (error as { code?: string }).code;
  const text = error instanceof Error ? error.message : String(error);
  if (code === "ECONNREFUSED") return `start-up failed: cannot connect (${text}); is PostgreSQL running?`;
  return `start-up failed: ${text}`;
}

/** Said once at start-up, so an operator sees at a glance which channels will be skipped. */
export function reportChannels(logger: Logger, config: Config): void {
  if (config.audiences.publicUrl === null) {
    logger.info(
      {},
      "PUBLIC_URL is not set: emails carry no List-Unsubscribe header and templates' unsubscribe_url is empty",
    );
  }
  if (config.deliverySandbox) {
    logger.warn(
      { deliverySandbox: true, nodeEnv: config.nodeEnv },
      "DELIVERY SANDBOX IS ON: no message reaches a real provider. Every channel writes into the outbox " +
        "(GET /api/outbox/) and its attempt is recorded as sent. It is on because DELIVERY_SANDBOX=true, " +
        "or by default outside production while no channel has credentials; set DELIVERY_SANDBOX=false to turn it off.",
    );
    logger.info({ channelOrder: config.channelOrder, sandboxed: [...CHANNELS] }, "delivery channels");
    return;
  }
  for (const reason of Object.values(config.missingChannels)) {
    logger.warn({}, `${reason}: notifications will skip that channel`);
  }
  const configured = CHANNELS.filter((channel) => !config.missingChannels[channel]);
  logger.info({ channelOrder: config.channelOrder, configured }, "delivery channels");
}

/**
 * Said loudly at start-up when the service runs on the embedded database or without Redis, so
 * nobody mistakes a laptop set-up for a production one: what it runs on, where the data lives,
 * and how to switch.
 */
export function reportSharedState(logger: Logger, config: Config): void {
  const embedded = config.embeddedDatabase;
  if (!embedded && config.redisUrl !== null) return;
  const runsOn = [
    embedded ? `the EMBEDDED PostgreSQL (data in ${embedded.dataDir})` : "PostgreSQL at DATABASE_URL",
    config.redisUrl === null
      ? "IN-PROCESS wake-ups, live events and rate limits (no Redis)"
      : "Redis at REDIS_URL",
  ];
  logger.warn(
    { embeddedDatabase: embedded?.dataDir ?? null, redis: config.redisUrl !== null },
    `RUNNING ON ${runsOn.join(" and ")}: API and worker in this one process, for trying and small installs. ` +
      "For production set DATABASE_URL (or POSTGRES_HOST) and REDIS_URL; see docs/embedded.md.",
  );
}

/**
 * Lowers this process's CPU priority by `increment` (a nice increment; 19 is the floor), and
 * returns the niceness it runs at. For the worker: where it shares cores with an API process (as
 * under `npm start`), a request waiting for its 201 gets the CPU before a delivery that can go a
 * few milliseconds later, and nothing is lost by waiting, as an accepted notification is already
 * in PostgreSQL. With spare CPU it changes nothing.
 */
export function lowerCpuPriority(increment: number, logger: Logger): number {
  const current = getPriority();
  const wanted = Math.min(19, current + increment);
  if (wanted === current) return current;
  try {
    setPriority(wanted);
    return wanted;
  } catch (error) {
    logger.warn(
      { err: error instanceof Error ? error.message : String(error), nice: wanted },
      "could not lower the worker's CPU priority (WORKER_NICE); it keeps the one it started with",
    );
    return current;
  }
}
