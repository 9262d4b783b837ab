/**
 * Every log line passes through here. Known secrets (each channel's, as its definition names them:
 * bot token, SMS.ru api_id, SMTP password; API keys; database and Redis passwords) are replaced wherever they appear, in any field or message, so a
 * provider error that quotes a URL cannot leak one.
 */
import { type Logger as PinoLogger, pino } from "pino";
import { channelSecrets } from "./channels/build-providers.js";
import type { Config } from "./config.js";

export function secretsOf(config: Config): string[] {
  const urlPassword = (url: string | null) => {
    if (url === null) return "";
    try {
      return decodeURIComponent(new URL(url).password);
    } catch {
      return "";
    }
  };
  return [
    ...channelSecrets(config),
    ...config.apiKeys,
    config.audiences.unsubscribeSecret,
    urlPassword(config.databaseUrl),
    urlPassword(config.redisUrl),
  ].filter((secret): secret is string => typeof secret === "string" && secret.length >= 4);
}

export function createRedactor(secrets: readonly string[]): (text: string) => string {
  if (secrets.length === 0) return (text) => text;
  const pattern = new RegExp(
    secrets
      .flatMap((secret) => [secret, encodeURIComponent(secret)])
      .sort((a, b) => b.length - a.length)
      .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("|"),
    "g",
  );
  return (text) => text.replace(pattern, "[REDACTED]");
}

function scrub(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redact(value.message),
      stack: value.stack ? redact(value.stack) : undefined,
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, redact, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, scrub(item, redact, depth + 1)]),
  );
}

export function createLogger(config: Config, destination?: pino.DestinationStream): PinoLogger {
  const redact = createRedactor(secretsOf(config));
  const pretty = config.nodeEnv === "development" && process.stdout.isTTY && !destination;
  return pino(
    {
      level: config.logLevel,
      base: { pid: process.pid },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => scrub(arg, redact)) as Parameters<typeof method>);
        },
      },
      transport: pretty
        ? { target: "pino-pretty", options: { translateTime: "HH:MM:ss.l", ignore: "pid,hostname" } }
        : undefined,
    },
    destination,
  );
}
