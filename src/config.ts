/**
 * The one reader of process.env. Every setting is parsed and checked here, and start-up stops
 * with one line naming the variable when a value is wrong. Everything else receives a Config.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { config as loadDotenv } from "dotenv";
import { CATEGORY_RULE, isCategory } from "./audiences/preferences.js";
import { CHANNEL_DEFINITIONS } from "./channels/channels.js";
import type { SmsRuConfig } from "./channels/sms-ru/sms-ru-channel.js";
import type { SmtpConfig } from "./channels/smtp/smtp-channel.js";
import type { TelegramConfig } from "./channels/telegram/telegram-channel.js";
import { CHANNELS, type Channel } from "./core/model.js";
import { ConfigError, type Env, type EnvReader, envReader } from "./env-reader.js";

export { ConfigError } from "./env-reader.js";

export type RetryBackoff = "fixed" | "exponential";

export interface EmbeddedDatabaseConfig {
  /** Absolute path of the folder the embedded PostgreSQL keeps its files in (EMBEDDED_DATA_DIR). */
  dataDir: string;
}

export interface Config {
  nodeEnv: string;
  host: string;
  port: number;
  logLevel: string;
  /**
   * The PostgreSQL server to use (DATABASE_URL, or built from POSTGRES_*). Null when neither is
   * set: the service then runs on the embedded database kept in `embeddedDatabase.dataDir`.
   */
  databaseUrl: string | null;
  /** Set exactly when databaseUrl is null (see database-choice in the docs). */
  embeddedDatabase: EmbeddedDatabaseConfig | null;
  /** Connections per process. */
  databasePoolSize: number;
  /**
   * Redis, shared by every process of a deployment (REDIS_URL). Null when unset: wake-ups, live
   * events, rate limits, Telegram pacing and circuit state then live in this process only.
   */
  redisUrl: string | null;
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
  webhooks: WebhookConfig;
  broadcasts: BroadcastConfig;
  audiences: AudienceConfig;
  receipts: ReceiptConfig;
}

export interface BroadcastConfig {
  /** Recipients a worker fans out per transaction. */
  batchSize: number;
  /**
   * A broadcast waits before its next batch while this many of its notifications are due and not
   * yet delivered, so other notifications never queue behind a whole audience; 0: no limit.
   */
  maxBacklog: number;
}

export interface AudienceConfig {
  /**
   * Where the service is reached from outside (PUBLIC_URL): unsubscribe links, and the server the
   * OpenAPI document names; null: no links are made, and the document names the local address.
   */
  publicUrl: string | null;
  /** Signs unsubscribe links (UNSUBSCRIBE_SECRET); set exactly when publicUrl is. Rotating it voids every link. */
  unsubscribeSecret: string | null;
  /** CRITICAL_CATEGORIES: delivered whatever the recipient's preferences (never to a suppressed address). */
  criticalCategories: string[];
}

/** Delivery receipts of SMS (the only provider here that gives them). */
export interface ReceiptConfig {
  /**
   * How long an accepted SMS may wait for its final receipt before the notification goes on to
   * its next channel (SMS_RECEIPT_TIMEOUT_SECONDS); null (the default): accepted is enough.
   */
  smsTimeoutSeconds: number | null;
  /** Past this age an SMS without a final receipt is `unknown` and no longer asked about. */
  smsMaxAgeSeconds: number;
  /** The first check comes this long after the send; each later wait doubles, up to smsPollMaxSeconds. */
  smsPollSeconds: number;
  smsPollMaxSeconds: number;
}

export interface WebhookConfig {
  /** Endpoints may be on loopback, private and link-local addresses (off by default: SSRF). */
  allowPrivateNetworks: boolean;
  /** An endpoint that has not answered within this is a failed attempt. */
  timeoutSeconds: number;
  /** The wait before each retry of a failed delivery; past the last one it has failed. */
  retryScheduleSeconds: number[];
  /** An endpoint whose every attempt has failed for this long is disabled. */
  disableAfterDays: number;
  /** Webhook deliveries a worker sends at once, apart from its notifications. */
  concurrency: number;
  /** How often each process re-reads which event types endpoints subscribe to. */
  subscriptionRefreshSeconds: number;
}

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
  const read = envReader(env);
  const nodeEnv = read.string("NODE_ENV", "development");

  const channelOrder = read.channelList("CHANNEL_ORDER", [...CHANNELS]);
  // Each channel's vendor reads its own variables (src/channels/<vendor>/).
  const sms = CHANNEL_DEFINITIONS.sms.readSettings(read);
  const email = CHANNEL_DEFINITIONS.email.readSettings(read);
  const telegram = CHANNEL_DEFINITIONS.telegram.readSettings(read);
  const missingChannels: Partial<Record<Channel, string>> = {};
  for (const channel of CHANNELS) {
    if (!{ sms, email, telegram }[channel])
      missingChannels[channel] = CHANNEL_DEFINITIONS[channel].notConfiguredReason;
  }

  const workerConcurrency = read.integer("WORKER_CONCURRENCY", 128, { min: 1, max: 1000 });
  const providerTimeoutSeconds = read.number("PROVIDER_TIMEOUT_SECONDS", 10, { min: 0.1, max: 300 });
  const database = databaseChoice(read, nodeEnv);
  return {
    nodeEnv,
    host: read.string("HOST", "0.0.0.0"),
    port: read.integer("PORT", 8000, { min: 0, max: 65535 }),
    logLevel: read.oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
    ...database,
    // Not tied to WORKER_CONCURRENCY: a worker's deliveries share batched statements, so 128 in
    // flight keep a handful of connections busy, and an API process batches its inserts too.
    databasePoolSize: read.integer("DB_POOL_SIZE", 16, { min: 1, max: 1000 }),
    redisUrl: read.optional("REDIS_URL") ? read.url("REDIS_URL", "", ["redis:", "rediss:"]) : null,
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
    receipts: receiptConfig(read),
    webhooks: {
      allowPrivateNetworks: read.boolean("WEBHOOK_ALLOW_PRIVATE_NETWORKS", false),
      timeoutSeconds: read.number("WEBHOOK_TIMEOUT_SECONDS", 15, { min: 0.1, max: 300 }),
      retryScheduleSeconds: retrySchedule(read),
      disableAfterDays: read.number("WEBHOOK_DISABLE_AFTER_DAYS", 5, { min: 0, max: 365 }),
      concurrency: read.integer("WEBHOOK_CONCURRENCY", 16, { min: 1, max: 1000 }),
      subscriptionRefreshSeconds: read.number("WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS", 5, {
        min: 0,
        max: 3600,
      }),
    },
    broadcasts: {
      batchSize: read.integer("BROADCAST_BATCH_SIZE", 200, { min: 1, max: 10_000 }),
      maxBacklog: read.integer("BROADCAST_MAX_BACKLOG", 200, { min: 0, max: 10_000_000 }),
    },
    audiences: audienceConfig(read),
  };
}

function receiptConfig(read: EnvReader): ReceiptConfig {
  if (read.optional("SMS_RECEIPT_TIMEOUT_SECONDS") && !read.boolean("SMS_RECEIPTS", true)) {
    throw new ConfigError(
      "SMS_RECEIPT_TIMEOUT_SECONDS needs SMS receipts: it falls back when no receipt comes, and with SMS_RECEIPTS=false none is asked for",
    );
  }
  return {
    smsTimeoutSeconds: read.optional("SMS_RECEIPT_TIMEOUT_SECONDS")
      ? read.number("SMS_RECEIPT_TIMEOUT_SECONDS", 0, { min: 0.1, max: 7 * 24 * 3600 })
      : null,
    smsMaxAgeSeconds: read.number("SMS_RECEIPT_MAX_AGE_SECONDS", 2 * 24 * 3600, {
      min: 1,
      max: 30 * 24 * 3600,
    }),
    smsPollSeconds: read.number("SMS_RECEIPT_POLL_SECONDS", 15, { min: 0.05, max: 24 * 3600 }),
    smsPollMaxSeconds: read.number("SMS_RECEIPT_POLL_MAX_SECONDS", 600, { min: 0.05, max: 24 * 3600 }),
  };
}

const MIN_UNSUBSCRIBE_SECRET_LENGTH = 32;

function audienceConfig(read: EnvReader): AudienceConfig {
  const publicUrl = read.optional("PUBLIC_URL") ? read.url("PUBLIC_URL", "", ["http:", "https:"]) : null;
  const unsubscribeSecret = read.optional("UNSUBSCRIBE_SECRET") ?? null;
  if (publicUrl && !unsubscribeSecret) {
    throw new ConfigError(
      `PUBLIC_URL is set but UNSUBSCRIBE_SECRET is not: set it to a random string of at least ${MIN_UNSUBSCRIBE_SECRET_LENGTH} characters (it signs the unsubscribe links in emails)`,
    );
  }
  if (unsubscribeSecret !== null && unsubscribeSecret.length < MIN_UNSUBSCRIBE_SECRET_LENGTH) {
    throw new ConfigError(
      `UNSUBSCRIBE_SECRET must be at least ${MIN_UNSUBSCRIBE_SECRET_LENGTH} characters long (a random string)`,
    );
  }
  const criticalCategories = read.list("CRITICAL_CATEGORIES");
  const invalid = criticalCategories.find((category) => !isCategory(category));
  if (invalid !== undefined) {
    throw new ConfigError(`CRITICAL_CATEGORIES: "${invalid}" is not a category. ${CATEGORY_RULE}`);
  }
  return {
    publicUrl: publicUrl ? publicUrl.replace(/\/+$/, "") : null,
    unsubscribeSecret,
    criticalCategories,
  };
}

/** 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: a delivery is given up about 28 hours after the event. */
const DEFAULT_WEBHOOK_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];

function retrySchedule(read: EnvReader): number[] {
  const items = read.list("WEBHOOK_RETRY_SCHEDULE_SECONDS");
  if (items.length === 0) return DEFAULT_WEBHOOK_RETRY_SCHEDULE;
  return items.map((item) => {
    const seconds = Number(item);
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > 7 * 24 * 3600) {
      throw new ConfigError(
        `WEBHOOK_RETRY_SCHEDULE_SECONDS must be a comma-separated list of seconds from 0 to 604800, got "${item}"`,
      );
    }
    return seconds;
  });
}

const POSTGRES_VARIABLES = [
  "POSTGRES_HOST",
  "POSTGRES_PORT",
  "POSTGRES_USER",
  "POSTGRES_PASSWORD",
  "POSTGRES_DB",
];

/**
 * The rule, never a guess: DATABASE_URL or any POSTGRES_* set means that server; none of them
 * means the embedded database. Production refuses the embedded one unless opted in, so a
 * deployment that lost its DATABASE_URL fails loudly instead of writing to a local folder.
 */
function databaseChoice(read: EnvReader, nodeEnv: string): Pick<Config, "databaseUrl" | "embeddedDatabase"> {
  if (read.optional("DATABASE_URL") || POSTGRES_VARIABLES.some((name) => read.optional(name))) {
    return { databaseUrl: databaseUrl(read), embeddedDatabase: null };
  }
  if (nodeEnv === "production" && !read.boolean("EMBEDDED_DATABASE_IN_PRODUCTION", false)) {
    throw new ConfigError(
      "NODE_ENV=production and no database is configured: set DATABASE_URL (or POSTGRES_HOST), or set EMBEDDED_DATABASE_IN_PRODUCTION=true to run on the embedded database on purpose",
    );
  }
  return {
    databaseUrl: null,
    embeddedDatabase: { dataDir: resolve(read.string("EMBEDDED_DATA_DIR", "data")) },
  };
}

function databaseUrl(read: EnvReader): string {
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
