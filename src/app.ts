/**
 * The one place that builds and connects things (pools, Redis connections, providers) and closes
 * them again. Entry points ask it for what they run; nothing else opens a connection.
 */

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { buildProviders, channelAddressing, closeProviders } from "./channels/build-providers.js";
import { buildSandboxProviders } from "./channels/sandbox/sandbox-provider.js";
import type { Config } from "./config.js";
import type { Logger } from "./core/logger.js";
import type { Channel } from "./core/model.js";
import { ApiKeysRepository } from "./db/api-keys-repository.js";
import { AttemptsRepository } from "./db/attempts-repository.js";
import { ChannelActivityQueries } from "./db/channel-activity-queries.js";
import { createPool, ensureDatabaseExists, type Pool, withTransaction } from "./db/database.js";
import { DeliveriesRepository } from "./db/deliveries-repository.js";
import { DeliveryStatsRepository } from "./db/delivery-stats-repository.js";
import { IdempotencyKeysRepository } from "./db/idempotency-keys-repository.js";
import { MaintenanceRepository } from "./db/maintenance-repository.js";
import { migrate } from "./db/migrate.js";
import { NotificationsRepository } from "./db/notifications-repository.js";
import { OutboxRepository } from "./db/outbox-repository.js";
import { type TransactionRunner, transactionRunner } from "./db/transactions.js";
import { UsersRepository } from "./db/users-repository.js";
import { createRedis } from "./redis/connection.js";
import { RedisNotificationEvents } from "./redis/notification-events.js";
import { RedisChannelCircuit } from "./redis/redis-channel-circuit.js";
import { RedisDeliveryLatency } from "./redis/redis-delivery-latency.js";
import { RedisWorkWakeUps } from "./redis/redis-work-wake-ups.js";
import { TemplateCatalog } from "./templates/template-catalog.js";
import { TemplatesRepository } from "./templates/templates-repository.js";
import { ApiKeyAuthenticator } from "./usecases/authenticate-api-key.js";
import type { DeliverDeps } from "./usecases/deliver-notification.js";
import { WebhooksRepository } from "./webhooks/webhooks-repository.js";

/** What the use cases behind the API and the CLI need. */
export interface CoreDeps {
  pool: Pool;
  redis: Redis;
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
  deliveryLatency: RedisDeliveryLatency;
  authenticator: ApiKeyAuthenticator;
  /** Wakes idle workers when a notification is made due now. */
  wakeUps: RedisWorkWakeUps;
  channelActivity: ChannelActivityQueries;
  channelCircuit: RedisChannelCircuit;
  /** Live changes for dashboards; listens to Redis only once someone watches. */
  notificationEvents: RedisNotificationEvents;
  maxMessageLength: number;
  phoneDefaultRegion: string;
  transaction: TransactionRunner;
  idempotencyKeys: IdempotencyKeysRepository;
  idempotencyTtlHours: number;
  /** Webhook endpoints, events and deliveries. */
  webhooks: WebhooksRepository;
  /** Wakes idle webhook senders (apart from notification workers) when a delivery is due now. */
  webhookWakeUps: RedisWorkWakeUps;
  templates: TemplatesRepository;
  templatesInTransaction<T>(work: (templates: TemplatesRepository) => Promise<T>): Promise<T>;
  /** Templates parsed once per saved version, ready to render. */
  templateCatalog: TemplateCatalog;
  /** CHANNEL_ORDER: the channels a notification without its own list may use. */
  channelOrder: readonly Channel[];
  /** The time now for scheduling decisions (send_at, quiet hours, expiry); tests set their own. */
  clock?: () => Date;
}

export interface Core extends CoreDeps {
  config: Config;
  logger: Logger;
  close(): Promise<void>;
}

/** Creates the database when missing and brings its schema up to date; names the migrations applied. */
export async function prepareDatabase(config: Config, logger: Logger): Promise<string[]> {
  await ensureDatabaseExists(config.databaseUrl, logger);
  const pool = createPool(config.databaseUrl, logger, 1);
  try {
    return await migrate(pool, logger);
  } finally {
    await pool.end();
  }
}

export function createCore(config: Config, logger: Logger, poolSize = config.databasePoolSize): Core {
  const pool = createPool(config.databaseUrl, logger, poolSize);
  const redis = createRedis(config.redisUrl, logger, "producer");
  const apiKeys = new ApiKeysRepository(pool);
  const wakeUps = new RedisWorkWakeUps(redis, config.redisUrl, config.redisPrefix, logger);
  const notificationEvents = new RedisNotificationEvents(redis, config.redisUrl, config.redisPrefix, logger);
  const deliveryLatency = new RedisDeliveryLatency(redis, config.redisPrefix, logger);
  const webhookWakeUps = new RedisWorkWakeUps(
    redis,
    config.redisUrl,
    `${config.redisPrefix}:webhooks`,
    logger,
  );
  const templates = new TemplatesRepository(pool);
  return {
    config,
    logger,
    pool,
    redis,
    users: new UsersRepository(pool),
    notifications: new NotificationsRepository(pool),
    attempts: new AttemptsRepository(pool),
    deliveries: new DeliveriesRepository(pool),
    maintenance: new MaintenanceRepository(pool),
    apiKeys,
    outbox: new OutboxRepository(pool),
    deliveryStats: new DeliveryStatsRepository(pool),
    deliveryLatency,
    authenticator: new ApiKeyAuthenticator(apiKeys, config.apiKeys, config.apiKeyCacheSeconds),
    wakeUps,
    channelActivity: new ChannelActivityQueries(pool),
    channelCircuit: new RedisChannelCircuit(redis, config.redisPrefix, config.circuitCooldownSeconds, logger),
    notificationEvents,
    maxMessageLength: config.maxMessageLength,
    phoneDefaultRegion: config.phoneDefaultRegion,
    transaction: transactionRunner(pool),
    idempotencyKeys: new IdempotencyKeysRepository(pool),
    idempotencyTtlHours: config.idempotencyTtlHours,
    webhooks: new WebhooksRepository(pool),
    webhookWakeUps,
    templates,
    templatesInTransaction: (work) =>
      withTransaction(pool, (client) => work(new TemplatesRepository(client))),
    templateCatalog: new TemplateCatalog(templates, { maxTextLength: config.maxMessageLength }),
    channelOrder: config.channelOrder,
    async close() {
      await notificationEvents.close();
      await deliveryLatency.close();
      await wakeUps.close();
      await webhookWakeUps.close();
      redis.disconnect();
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
  const circuitRedis = createRedis(config.redisUrl, logger, "client");
  // The sandbox replaces every provider, so no channel is "missing" while it is on.
  const providers = config.deliverySandbox
    ? buildSandboxProviders(core.outbox)
    : buildProviders(config, { redis: circuitRedis, ...options.providerOptions });
  const workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const deliverDeps: DeliverDeps = {
    deliveries: core.deliveries,
    events: core.notificationEvents,
    providers,
    addressing: channelAddressing(config),
    missingChannels: config.deliverySandbox ? {} : config.missingChannels,
    // Read on every attempt: a second's staleness is worth one Redis round trip less per delivery.
    circuit: new RedisChannelCircuit(
      circuitRedis,
      config.redisPrefix,
      config.circuitCooldownSeconds,
      logger,
      1_000,
    ),
    channelOrder: config.channelOrder,
    retry: config,
    leaseSeconds: config.leaseSeconds,
    providerTimeoutSeconds: config.providerTimeoutSeconds,
    workerId,
    logger,
    stopping: options.stopping,
    observer: core.deliveryLatency,
    users: core.users,
  };
  return {
    deliverDeps,
    async close() {
      await closeProviders(providers);
      circuitRedis.disconnect();
    },
  };
}
