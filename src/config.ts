/**
 * The one reader of process.env. Every setting is parsed and checked here, and start-up stops
 * with one line naming the variable when a value is wrong. Everything else receives a Config.
 */
import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { CHANNELS, type Channel, isChannel } from "./core/model.js";

export interface SmsRuConfig {
  apiUrl: string;
  apiId: string;
  senderName: string | null;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (EMAIL_USE_SSL). */
  useSsl: boolean;
  /** STARTTLS required (EMAIL_USE_TLS). */
  useTls: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

export interface TelegramConfig {
  apiUrl: string;
  botToken: string;
  /** Serves users who have no telegram_id of their own. */
  defaultChatId: string | null;
  /** Telegram's flood limits, kept by all workers together. */
  perChatPerSecond: number;
  globalPerSecond: number;
}

export type RetryBackoff = "fixed" | "exponential";

export interface Config {
  nodeEnv: string;
  host: string;
  port: number;
  logLevel: string;
  databaseUrl: string;
  /** Connections per process. */
  databasePoolSize: number;
  redisUrl: string;
  /** Prefix of every Redis key this deployment uses, so several can share one Redis. */
  redisPrefix: string;
  channelOrder: Channel[];
  maxRetries: number;
  retryDelaySeconds: number;
  retryBackoff: RetryBackoff;
  retryMaxDelaySeconds: number;
  providerTimeoutSeconds: number;
  maxMessageLength: number;
  /** Region assumed for phone numbers typed without a country code (ISO 3166 code, e.g. RU). */
  phoneDefaultRegion: string;
  bodyLimitBytes: number;
  workerConcurrency: number;
  /** How much lower a worker's CPU priority is than its parent's (a Unix nice increment, 0-19). */
  workerNice: number;
  /** How long a worker holds a notification without renewing before others may take it over. */
  leaseSeconds: number;
  /** How often an idle worker looks for due notifications it was not woken for. */
  pollIntervalSeconds: number;
  /** How long a channel stays paused after its provider says our settings are wrong. */
  circuitCooldownSeconds: number;
  /** Seconds given to in-flight deliveries on SIGTERM before the process exits anyway. */
  shutdownGraceSeconds: number;
  /** How long an Idempotency-Key is remembered; a reuse within it returns the first notification. */
  idempotencyTtlHours: number;
  /** Finished notifications older than this many days are deleted with their attempts; 0 keeps all. */
  retentionDays: number;
  /** Keys accepted from the environment (API_KEYS), besides those created with the CLI. */
  apiKeys: string[];
  /** Only when set on purpose: /api/* answers without a key. */
  authDisabled: boolean;
  /** How long an API process trusts a key it looked up; revocation takes effect within this. */
  apiKeyCacheSeconds: number;
  /** Requests per minute per API key, shared by all API processes through Redis; 0 turns it off. */
  apiRateLimitPerMinute: number;
  /** Origins allowed to call the API from a browser; none means CORS stays off. */
  corsOrigins: string[];
  sms: SmsRuConfig | null;
  email: SmtpConfig | null;
  telegram: TelegramConfig | null;
  /**
   * Every channel delivers into the outbox table instead of its provider (DELIVERY_SANDBOX). On by
   * default only outside production when no channel has credentials, so the quick start shows the flow.
   */
  deliverySandbox: boolean;
  /** Why each unconfigured channel is unconfigured, for the start-up report and skipped attempts. */
  missingChannels: Partial<Record<Channel, string>>;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

/** Reads `.env` (when present) under the real environment, which wins, and parses the result. */
export function loadConfig(env: Env = process.env, dotenvPath = ".env"): Config {
  const merged: Env = { ...env };
  if (existsSync(dotenvPath)) {
    const fromFile: Env = {};
    loadDotenv({ path: dotenvPath, processEnv: fromFile as Record<string, string>, quiet: true });
    for (const [key, value] of Object.entries(fromFile)) if (merged[key] === undefined) merged[key] = value;
  }
  return parseConfig(merged);
}

export function parseConfig(env: Env): Config {
  const read = reader(env);
  const nodeEnv = read.string("NODE_ENV", "development");

  const channelOrder = read.channelList("CHANNEL_ORDER", [...CHANNELS]);
  const sms = smsConfig(read);
  const email = emailConfig(read);
  const telegram = telegramConfig(read);
  const missingChannels: Partial<Record<Channel, string>> = {};
  if (!sms) missingChannels.sms = "SMS.ru is not configured (SMS_RU_API_ID is not set)";
  if (!email) missingChannels.email = "email is not configured (EMAIL_HOST is not set)";
  if (!telegram) missingChannels.telegram = "Telegram is not configured (TELEGRAM_BOT_TOKEN is not set)";

  const workerConcurrency = read.integer("WORKER_CONCURRENCY", 128, { min: 1, max: 1000 });
  const providerTimeoutSeconds = read.number("PROVIDER_TIMEOUT_SECONDS", 10, { min: 0.1, max: 300 });
  return {
    nodeEnv,
    host: read.string("HOST", "0.0.0.0"),
    port: read.integer("PORT", 8000, { min: 0, max: 65535 }),
    logLevel: read.oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
    databaseUrl: databaseUrl(read),
    // Not tied to WORKER_CONCURRENCY: a worker's deliveries share batched statements, so 128 in
    // flight keep a handful of connections busy, and an API process batches its inserts too.
    databasePoolSize: read.integer("DB_POOL_SIZE", 16, { min: 1, max: 1000 }),
    redisUrl: read.url("REDIS_URL", "redis://127.0.0.1:6379", ["redis:", "rediss:"]),
    redisPrefix: read.string("REDIS_PREFIX", "notification-service"),
    channelOrder,
    maxRetries: read.integer("MAX_RETRIES", 3, { min: 0, max: 100 }),
    retryDelaySeconds: read.number("RETRY_DELAY_SECONDS", 60, { min: 0, max: 7 * 24 * 3600 }),
    retryBackoff: read.oneOf("RETRY_BACKOFF", ["fixed", "exponential"], "fixed"),
    retryMaxDelaySeconds: read.number("RETRY_MAX_DELAY_SECONDS", 3600, { min: 0, max: 30 * 24 * 3600 }),
    providerTimeoutSeconds,
    maxMessageLength: read.integer("MAX_MESSAGE_LENGTH", 10_000, { min: 1, max: 1_000_000 }),
    phoneDefaultRegion: read.region("PHONE_DEFAULT_REGION", "RU"),
    bodyLimitBytes: read.integer("BODY_LIMIT_BYTES", 64 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    workerConcurrency,
    workerNice: read.integer("WORKER_NICE", 10, { min: 0, max: 19 }),
    leaseSeconds: read.number("LEASE_SECONDS", Math.max(15, providerTimeoutSeconds + 5), {
      min: providerTimeoutSeconds + 1,
      max: 3600,
    }),
    pollIntervalSeconds: read.number("POLL_INTERVAL_SECONDS", 2, { min: 0.05, max: 3600 }),
    circuitCooldownSeconds: read.number("CIRCUIT_COOLDOWN_SECONDS", 60, { min: 0, max: 24 * 3600 }),
    shutdownGraceSeconds: read.number("SHUTDOWN_GRACE_SECONDS", 20, { min: 0, max: 3600 }),
    idempotencyTtlHours: read.number("IDEMPOTENCY_TTL_HOURS", 24, { min: 1, max: 24 * 365 }),
    retentionDays: read.number("RETENTION_DAYS", 0, { min: 0, max: 36_500 }),
    apiKeys: read.list("API_KEYS"),
    authDisabled: read.boolean("AUTH_DISABLED", false),
    apiKeyCacheSeconds: read.number("API_KEY_CACHE_SECONDS", 5, { min: 0, max: 3600 }),
    apiRateLimitPerMinute: read.integer("API_RATE_LIMIT_PER_MINUTE", 6000, { min: 0, max: 10_000_000 }),
    corsOrigins: read.list("CORS_ORIGINS"),
    sms,
    email,
    telegram,
    deliverySandbox: read.boolean(
      "DELIVERY_SANDBOX",
      nodeEnv !== "production" && !sms && !email && !telegram,
    ),
    missingChannels,
  };
}

function databaseUrl(read: Reader): string {
  const explicit = read.optional("DATABASE_URL");
  if (explicit) return read.url("DATABASE_URL", explicit, ["postgres:", "postgresql:"]);
  const url = new URL("postgresql://localhost");
  url.hostname = read.string("POSTGRES_HOST", "127.0.0.1");
  url.port = String(read.integer("POSTGRES_PORT", 5432, { min: 1, max: 65535 }));
  url.username = encodeURIComponent(read.string("POSTGRES_USER", "postgres"));
  const password = read.optional("POSTGRES_PASSWORD");
  if (password) url.password = encodeURIComponent(password);
  url.pathname = `/${encodeURIComponent(read.string("POSTGRES_DB", "notification_service"))}`;
  return url.toString();
}

function smsConfig(read: Reader): SmsRuConfig | null {
  const apiUrl = read.url("SMS_RU_API_URL", "https://sms.ru", ["http:", "https:"]);
  const senderName = read.optional("SMS_SENDER_NAME") ?? null;
  const apiId = read.optional("SMS_RU_API_ID");
  return apiId ? { apiUrl, apiId, senderName } : null;
}

function emailConfig(read: Reader): SmtpConfig | null {
  const useSsl = read.boolean("EMAIL_USE_SSL", false);
  const useTls = read.boolean("EMAIL_USE_TLS", false);
  if (useSsl && useTls) {
    throw new ConfigError(
      "EMAIL_USE_SSL and EMAIL_USE_TLS are both true: choose one (SSL = implicit TLS, usually port 465; TLS = STARTTLS, usually 587)",
    );
  }
  const port = read.integer("EMAIL_PORT", useSsl ? 465 : 25, { min: 1, max: 65535 });
  const user = read.optional("EMAIL_HOST_USER") ?? null;
  const password = read.optional("EMAIL_HOST_PASSWORD") ?? null;
  const from = read.optional("EMAIL_FROM") ?? user;
  const host = read.optional("EMAIL_HOST");
  if (!host) return null;
  if (!from) throw new ConfigError("EMAIL_FROM is not set and there is no EMAIL_HOST_USER to send from");
  return { host, port, useSsl, useTls, user, password, from };
}

function telegramConfig(read: Reader): TelegramConfig | null {
  const apiUrl = read.url("TELEGRAM_API_URL", "https://api.telegram.org", ["http:", "https:"]);
  const defaultChatId = read.optional("TELEGRAM_CHAT_ID") ?? null;
  if (defaultChatId !== null && !/^-?\d{1,20}$/.test(defaultChatId)) {
    throw new ConfigError(
      "TELEGRAM_CHAT_ID must be a numeric chat id (digits, with a leading minus for groups)",
    );
  }
  const perChatPerSecond = read.number("TELEGRAM_PER_CHAT_PER_SECOND", 1, { min: 0.01, max: 1000 });
  const globalPerSecond = read.number("TELEGRAM_GLOBAL_PER_SECOND", 30, { min: 0.01, max: 100_000 });
  const botToken = read.optional("TELEGRAM_BOT_TOKEN");
  if (!botToken) return null;
  // Checked without echoing the value: a token is a secret.
  if (!/^\d+:[A-Za-z0-9_-]+$/.test(botToken)) {
    throw new ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (expected <digits>:<letters>)");
  }
  return { apiUrl, botToken, defaultChatId, perChatPerSecond, globalPerSecond };
}

type Reader = ReturnType<typeof reader>;

function reader(env: Env) {
  const optional = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const fail = (name: string, expected: string, value: string): never => {
    throw new ConfigError(`${name} must be ${expected}, got ${JSON.stringify(value)}`);
  };
  const number = (name: string, fallback: number, range: { min: number; max: number }): number => {
    const raw = optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < range.min || value > range.max) {
      return fail(name, `a number from ${range.min} to ${range.max}`, raw);
    }
    return value;
  };
  return {
    optional,
    string: (name: string, fallback: string): string => optional(name) ?? fallback,
    region: (name: string, fallback: string): string => {
      const raw = optional(name) ?? fallback;
      return /^[A-Za-z]{2}$/.test(raw) ? raw.toUpperCase() : fail(name, "a two-letter country code", raw);
    },
    number,
    integer: (name: string, fallback: number, range: { min: number; max: number }): number => {
      const value = number(name, fallback, range);
      return Number.isInteger(value) ? value : fail(name, "a whole number", String(value));
    },
    boolean: (name: string, fallback: boolean): boolean => {
      const raw = optional(name);
      if (raw === undefined) return fallback;
      if (/^(true|1|yes|on)$/i.test(raw)) return true;
      if (/^(false|0|no|off)$/i.test(raw)) return false;
      return fail(name, "true or false", raw);
    },
    oneOf: <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
      const raw = optional(name);
      if (raw === undefined) return fallback;
      const value = raw.toLowerCase() as T;
      return allowed.includes(value) ? value : fail(name, `one of ${allowed.join(", ")}`, raw);
    },
    url: (name: string, fallback: string, protocols: string[]): string => {
      const raw = optional(name) ?? fallback;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        // The value may hold a password, so it is not echoed.
        throw new ConfigError(`${name} is not a valid URL`);
      }
      if (!protocols.includes(url.protocol)) {
        throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(" or ")}`);
      }
      return raw.replace(/\/+$/, "");
    },
    list: (name: string): string[] =>
      (optional(name) ?? "")
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    channelList: (name: string, fallback: Channel[]): Channel[] => {
      const raw = optional(name);
      if (raw === undefined) return fallback;
      const items = raw
        .split(",")
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean);
      const unknown = items.filter((item) => !isChannel(item));
      if (items.length === 0 || unknown.length > 0) {
        return fail(name, `a comma-separated list of ${CHANNELS.join(", ")}`, raw);
      }
      if (new Set(items).size !== items.length) return fail(name, "a list without repeats", raw);
      return items as Channel[];
    },
  };
}
