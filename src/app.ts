/**
 * The one place that builds and connects things (pools, Redis connections, providers) and closes
 * them again. Entry points ask it for what they run; nothing else opens a connection.
 */

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { PreferencesRepository } from "./audiences/preferences-repository.js";
import { SuppressionsRepository } from "./audiences/suppressions-repository.js";
import { UnsubscribeLinks } from "./audiences/unsubscribe-token.js";
import { BroadcastsRepository } from "./broadcasts/broadcasts-repository.js";
import {
  buildProviders,
  channelAddressing,
  closeProviders,
  fallbackAddresses,
} from "./channels/build-providers.js";
import { buildSandboxProviders } from "./channels/sandbox/sandbox-provider.js";
import { TelegramBotApi } from "./channels/telegram/telegram-bot-api.js";
import type { Config } from "./config.js";
import type { Logger } from "./core/logger.js";
import type { Channel } from "./core/model.js";
import { ApiKeysRepository } from "./db/api-keys-repository.js";
import { AttemptsRepository } from "./db/attempts-repository.js";
import { ChannelActivityQueries } from "./db/channel-activity-queries.js";
import { createPool, ensureDatabaseExists, type Pool, withTransaction } from "./db/database.js";
import { DeliveriesRepository } from "./db/deliveries-repository.js";
import { DeliveryStatsRepository } from "./db/delivery-stats-repository.js";
import { openEmbeddedDatabase } from "./db/embedded-database.js";
import { BROADCAST_KEYS, IdempotencyKeysRepository } from "./db/idempotency-keys-repository.js";
import { MaintenanceRepository } from "./db/maintenance-repository.js";
import { migrate } from "./db/migrate.js";
import { NotificationsRepository } from "./db/notifications-repository.js";
import { OutboxRepository } from "./db/outbox-repository.js";
import { type TransactionRunner, transactionRunner } from "./db/transactions.js";
import { UsersRepository } from "./db/users-repository.js";
import { ReceiptsRepository } from "./receipts/receipts-repository.js";
import { createSideChannels, type SideChannels } from "./side-channels.js";
import { BotUsername } from "./telegram-links/bot-username.js";
import type { TelegramLinkIssuing } from "./telegram-links/create-telegram-link.js";
import { TelegramLinksRepository } from "./telegram-links/telegram-links-repository.js";
import { TemplateCatalog } from "./templates/template-catalog.js";
import { TemplatesRepository } from "./templates/templates-repository.js";
import { ApiKeyAuthenticator } from "./usecases/authenticate-api-key.js";
import type { ChannelCircuit } from "./usecases/channel-circuit.js";
import type { DeliverDeps } from "./usecases/deliver-notification.js";
import type { DeliveryLatencyHistogram } from "./usecases/delivery-observer.js";
import type { NotificationEventFeed, NotificationEventPublisher, WorkWakeUps } from "./usecases/ports.js";
import { WebhooksRepository } from "./webhooks/webhooks-repository.js";

/** What the use cases behind the API and the CLI need. */
export interface CoreDeps {
  pool: Pool;
  /** The shared Redis, or null without REDIS_URL (see side-channels.ts). */
  redis: Redis | null;
  /** Wake-ups, live events, rate limits, pacing and circuit state: Redis or this process. */
  sideChannels: SideChannels;
  users: UsersRepository;
  notifications: NotificationsRepository;
  attempts: AttemptsRepository;
  /** The lease-guarded statements of workers: claiming due notifications, recording attempts. */
  deliveries: DeliveriesRepository;
  maintenance: MaintenanceRepository;
  apiKeys: ApiKeysRepository;
  outbox: OutboxRepository;
  deliveryStats: DeliveryStatsRepository;
  /** The creation-to-sent histogram shared by all workers (metrics). */
  deliveryLatency: DeliveryLatencyHistogram;
  authenticator: ApiKeyAuthenticator;
  /** Wakes idle workers when a notification is made due now. */
  wakeUps: WorkWakeUps;
  channelActivity: ChannelActivityQueries;
  channelCircuit: ChannelCircuit;
  /** Live changes for dashboards; listens to Redis only once someone watches. */
  notificationEvents: NotificationEventPublisher & NotificationEventFeed;
  maxMessageLength: number;
  phoneDefaultRegion: string;
  transaction: TransactionRunner;
  idempotencyKeys: IdempotencyKeysRepository;
  idempotencyTtlHours: number;
  /** Webhook endpoints, events and deliveries. */
  webhooks: WebhooksRepository;
  /** Receipt checks of accepted messages, as due rows. */
  receipts: ReceiptsRepository;
  /** Wakes idle webhook senders (apart from notification workers) when a delivery is due now. */
  webhookWakeUps: WorkWakeUps;
  /** Broadcasts, their audiences and the fan-out's batches. */
  broadcasts: BroadcastsRepository;
  /** The Idempotency-Keys of POST /api/broadcasts/ (housekeeping forgets them). */
  broadcastIdempotencyKeys: IdempotencyKeysRepository;
  /** Wakes the workers' fan-out (apart from notification workers) when a broadcast is created. */
  broadcastWakeUps: WorkWakeUps;
  templates: TemplatesRepository;
  templatesInTransaction<T>(work: (templates: TemplatesRepository) => Promise<T>): Promise<T>;
  /** Templates parsed once per saved version, ready to render. */
  templateCatalog: TemplateCatalog;
  /** CHANNEL_ORDER: the channels a notification without its own list may use. */
  channelOrder: readonly Channel[];
  /** The time now for scheduling decisions (send_at, quiet hours, expiry); tests set their own. */
  clock?: () => Date;
  /** Users' preferences (per channel and category) and suppressed addresses. */
  preferences: PreferencesRepository;
  suppressions: SuppressionsRepository;
  /** Signs and checks one-click unsubscribe links; null without PUBLIC_URL. */
  unsubscribeLinks: UnsubscribeLinks | null;
  /** CRITICAL_CATEGORIES: delivered whatever the recipient's preferences. */
  criticalCategories: ReadonlySet<string>;
  /** Telegram connect-link codes, the bot's update offset and its poller's lease. */
  telegramLinks: TelegramLinksRepository;
  /** Whether connect links can be made (TELEGRAM_LINKS), and with which bot. */
  telegramLinkIssuing: TelegramLinkIssuing;
}

export interface Core extends CoreDeps {
  config: Config;
  logger: Logger;
  close(): Promise<void>;
}

export interface OpenedDatabase {
  /** The configuration with the database's URL filled in (the embedded one's socket). */
  config: Config;
  close(): Promise<void>;
}

/**
 * The configured PostgreSQL as it is, or the embedded one, started in this process (one process
 * per data folder; a second gets DataDirectoryInUseError). Entry points open it first and close
 * it last.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<OpenedDatabase> {
  if (!config.embeddedDatabase) return { config, close: async () => {} };
  const embedded = await openEmbeddedDatabase(config.embeddedDatabase.dataDir, logger);
  return { config: { ...config, databaseUrl: embedded.url, databasePoolSize: 1 }, close: embedded.close };
}

/** Creates the database when missing and brings its schema up to date; names the migrations applied. */
export async function prepareDatabase(config: Config, logger: Logger): Promise<string[]> {
  const url = databaseUrlOf(config);
  if (!config.embeddedDatabase) await ensureDatabaseExists(url, logger);
  const pool = createPool(url, logger, 1, {
    embedded: config.embeddedDatabase !== null,
    unboundedStatements: true,
  });
  try {
    return await migrate(pool, logger);
  } finally {
    await pool.end();
  }
}

export function createCore(config: Config, logger: Logger, poolSize = config.databasePoolSize): Core {
  const pool = createPool(databaseUrlOf(config), logger, poolSize, {
    embedded: config.embeddedDatabase !== null,
  });
  const sideChannels = createSideChannels(config, logger);
  const { redis, wakeUps, notificationEvents, deliveryLatency, webhookWakeUps, broadcastWakeUps } =
    sideChannels;
  const apiKeys = new ApiKeysRepository(pool);
  const templates = new TemplatesRepository(pool);
  return {
    config,
    logger,
    pool,
    redis,
    sideChannels,
    users: new UsersRepository(pool),
    notifications: new NotificationsRepository(pool),
    attempts: new AttemptsRepository(pool),
    deliveries: new DeliveriesRepository(pool, fallbackAddresses(config)),
    maintenance: new MaintenanceRepository(pool),
    apiKeys,
    outbox: new OutboxRepository(pool),
    deliveryStats: new DeliveryStatsRepository(pool),
    deliveryLatency,
    authenticator: new ApiKeyAuthenticator(apiKeys, config.apiKeys, config.apiKeyCacheSeconds),
    wakeUps,
    channelActivity: new ChannelActivityQueries(pool),
    channelCircuit: sideChannels.channelCircuit,
    notificationEvents,
    maxMessageLength: config.maxMessageLength,
    phoneDefaultRegion: config.phoneDefaultRegion,
    transaction: transactionRunner(pool),
    idempotencyKeys: new IdempotencyKeysRepository(pool),
    idempotencyTtlHours: config.idempotencyTtlHours,
    webhooks: new WebhooksRepository(pool),
    receipts: new ReceiptsRepository(pool),
    webhookWakeUps,
    broadcasts: new BroadcastsRepository(pool),
    broadcastIdempotencyKeys: new IdempotencyKeysRepository(pool, BROADCAST_KEYS),
    broadcastWakeUps,
    templates,
    templatesInTransaction: (work) =>
      withTransaction(pool, (client) => work(new TemplatesRepository(client))),
    templateCatalog: new TemplateCatalog(templates, { maxTextLength: config.maxMessageLength }),
    channelOrder: config.channelOrder,
    preferences: new PreferencesRepository(pool),
    suppressions: new SuppressionsRepository(pool),
    unsubscribeLinks: unsubscribeLinksOf(config),
    criticalCategories: new Set(config.audiences.criticalCategories),
    telegramLinks: new TelegramLinksRepository(pool),
    telegramLinkIssuing: telegramLinkIssuingOf(config),
    async close() {
      await sideChannels.close();
      await pool.end();
    },
  };
}

export interface DeliveryRuntime {
  deliverDeps: DeliverDeps;
  close(): Promise<void>;
}

export interface DeliveryOptions {
  stopping?: () => boolean;
  /** Test seams for provider transport settings that are not configuration (e.g. self-signed TLS). */
  providerOptions?: Parameters<typeof buildProviders>[1];
}

export function createDeliveryRuntime(core: Core, options: DeliveryOptions = {}): DeliveryRuntime {
  const { config, logger } = core;
  const { circuit, telegramRateLimiter } = core.sideChannels.forDelivery();
  // The sandbox replaces every provider, so no channel is "missing" while it is on.
  const providers = config.deliverySandbox
    ? buildSandboxProviders(core.outbox)
    : buildProviders(config, { telegramRateLimiter, ...options.providerOptions });
  const workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const deliverDeps: DeliverDeps = {
    deliveries: core.deliveries,
    events: core.notificationEvents,
    providers,
    addressing: channelAddressing(config),
    missingChannels: config.deliverySandbox ? {} : config.missingChannels,
    circuit,
    channelOrder: config.channelOrder,
    retry: config,
    leaseSeconds: config.leaseSeconds,
    providerTimeoutSeconds: config.providerTimeoutSeconds,
    workerId,
    logger,
    stopping: options.stopping,
    observer: core.deliveryLatency,
    criticalCategories: core.criticalCategories,
    unsubscribeLinks: core.unsubscribeLinks,
    ...receiptSettings(config, providers),
  };
  return {
    deliverDeps,
    async close() {
      await closeProviders(providers);
    },
  };
}

function telegramLinkIssuingOf(config: Config): TelegramLinkIssuing {
  const { telegram } = config;
  if (!telegram) {
    return {
      enabled: false,
      reason:
        "Telegram is not configured: set TELEGRAM_BOT_TOKEN, and TELEGRAM_LINKS=true to make connect links.",
    };
  }
  if (!telegram.links) {
    return {
      enabled: false,
      reason:
        "Telegram connect links are off: set TELEGRAM_LINKS=true (a worker then receives the bot's messages).",
    };
  }
  return {
    enabled: true,
    ttlSeconds: telegram.links.ttlSeconds,
    botUsername: new BotUsername(new TelegramBotApi(telegram), config.providerTimeoutSeconds),
  };
}

function unsubscribeLinksOf(config: Config): UnsubscribeLinks | null {
  const { publicUrl, unsubscribeSecret } = config.audiences;
  return publicUrl && unsubscribeSecret ? new UnsubscribeLinks(publicUrl, unsubscribeSecret) : null;
}

/**
 * Receipt timing per channel whose provider gives receipts (only SMS.ru here; not the sandbox).
 * The deadline applies only there: a channel without receipts could never meet it.
 */
function receiptSettings(
  config: Config,
  providers: ReadonlyMap<Channel, { receipts?: unknown }>,
): Pick<DeliverDeps, "receiptTimeoutSeconds" | "receiptFirstCheckSeconds"> {
  if (!providers.get("sms")?.receipts) return {};
  const { smsTimeoutSeconds, smsPollSeconds } = config.receipts;
  return {
    receiptFirstCheckSeconds: { sms: smsPollSeconds },
    receiptTimeoutSeconds: smsTimeoutSeconds === null ? {} : { sms: smsTimeoutSeconds },
  };
}

/** The configured server's URL, or the embedded database's once openDatabase has opened it. */
function databaseUrlOf(config: Config): string {
  if (config.databaseUrl === null) throw new Error("the embedded database is not open yet (openDatabase)");
  return config.databaseUrl;
}
