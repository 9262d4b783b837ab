import type { FastifyBaseLogger } from "fastify";
import type { Logger } from "../../src/core/logger.js";

export interface CapturedLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

/**
 * The same lines, through a logger Fastify takes (buildHttpApp's logger), for what the HTTP
 * app's routes log.
 */
export function asFastifyLogger(logger: Logger): FastifyBaseLogger {
  const fastifyLogger = {
    ...logger,
    fatal: logger.error,
    trace: logger.debug,
    silent() {},
    level: "debug",
    child: () => fastifyLogger,
  };
  return fastifyLogger as unknown as FastifyBaseLogger;
}

/** A logger that keeps every line, for tests that assert what was (or was not) logged. */
export function captureLogs(): { logger: Logger; lines: CapturedLine[]; text(): string } {
  const lines: CapturedLine[] = [];
  const at =
    (level: string) =>
    (fields: object, message = "") =>
      lines.push({ level, message, fields: { ...fields } as Record<string, unknown> });
  return {
    logger: { info: at("info"), warn: at("warn"), error: at("error"), debug: at("debug") },
    lines,
    text: () =>
      lines.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.fields)}`).join("\n"),
  };
}
