/**
 * What processes share besides PostgreSQL, chosen by one rule: REDIS_URL set means Redis, shared
 * by every process of the deployment; unset means in-process adapters, which only hold within
 * one process (so the API and the worker then run in one, see entry/launcher.ts). None of them is
 * the record: PostgreSQL holds what is due, and each piece degrades by itself while Redis is away
 * (docs/embedded.md has the table).
 */
import type { Redis } from "ioredis";
import { RateLimiterWithFallback } from "./channels/telegram/rate-limiter-with-fallback.js";
import { type ChatRateLimiter, TelegramRateLimiter } from "./channels/telegram/telegram-rate-limit.js";
import type { Config } from "./config.js";
import type { Logger } from "./core/logger.js";
import { InProcessChannelCircuit } from "./in-process/in-process-channel-circuit.js";
import { InProcessChatRateLimiter } from "./in-process/in-process-chat-rate-limiter.js";
import { InProcessDeliveryLatency } from "./in-process/in-process-delivery-latency.js";
import { InProcessNotificationEvents } from "./in-process/in-process-notification-events.js";
import { InProcessWorkWakeUps } from "./in-process/in-process-work-wake-ups.js";
import { createRedis } from "./redis/connection.js";
import { RedisNotificationEvents } from "./redis/notification-events.js";
import { RedisChannelCircuit } from "./redis/redis-channel-circuit.js";
import { RedisDeliveryLatency } from "./redis/redis-delivery-latency.js";
import { RedisWorkWakeUps } from "./redis/redis-work-wake-ups.js";
import type { ChannelCircuit } from "./usecases/channel-circuit.js";
import type { DeliveryLatencyHistogram } from "./usecases/delivery-observer.js";
import type { NotificationEventFeed, NotificationEventPublisher, WorkWakeUps } from "./usecases/ports.js";

/** What a delivery worker uses on every attempt. */
export interface DeliverySideChannels {
  /** Read on every attempt, so it may be a second stale (one Redis round trip less per delivery). */
  circuit: ChannelCircuit;
  /** Telegram's flood limits; null when Telegram is not configured. */
  telegramRateLimiter: ChatRateLimiter | null;
}

export interface SideChannels {
  /** Where they live, for the start-up report and /readyz. */
  kind: "redis" | "in-process";
  /** The shared Redis connection (fails fast), or null without REDIS_URL. */
  redis: Redis | null;
  wakeUps: WorkWakeUps;
  /** Wakes webhook senders, apart from notification workers, when a webhook delivery is due now. */
  webhookWakeUps: WorkWakeUps;
  /** Wakes broadcast fan-outs, apart from notification workers, when a broadcast is created. */
  broadcastWakeUps: WorkWakeUps;
  /** Live changes for dashboards. */
  notificationEvents: NotificationEventPublisher & NotificationEventFeed;
  deliveryLatency: DeliveryLatencyHistogram;
  /** The circuit as an overview reads it: always fresh. */
  channelCircuit: ChannelCircuit;
  /** Built on first use: an API process never needs it. */
  forDelivery(): DeliverySideChannels;
  /** Options for @fastify/rate-limit's store: Redis, or its in-memory default. */
  apiRateLimitStore: { redis?: Redis; nameSpace?: string };
  /** Readiness: resolves when the shared store answers; null when there is none to ask. */
  ping: (() => Promise<unknown>) | null;
  close(): Promise<void>;
}

export function createSideChannels(config: Config, logger: Logger): SideChannels {
  return config.redisUrl === null
    ? inProcessSideChannels(config, logger)
    : redisSideChannels(config, config.redisUrl, logger);
}

function inProcessSideChannels(config: Config, logger: Logger): SideChannels {
  const wakeUps = new InProcessWorkWakeUps();
  const webhookWakeUps = new InProcessWorkWakeUps();
  const broadcastWakeUps = new InProcessWorkWakeUps();
  const notificationEvents = new InProcessNotificationEvents();
  const deliveryLatency = new InProcessDeliveryLatency();
  // One circuit for the overview and the worker: they are in this process together.
  const channelCircuit = new InProcessChannelCircuit(config.circuitCooldownSeconds, logger);
  const telegramRateLimiter = config.telegram ? new InProcessChatRateLimiter(config.telegram) : null;
  return {
    kind: "in-process",
    redis: null,
    wakeUps,
    webhookWakeUps,
    broadcastWakeUps,
    notificationEvents,
    deliveryLatency,
    channelCircuit,
    forDelivery: () => ({ circuit: channelCircuit, telegramRateLimiter }),
    apiRateLimitStore: {},
    ping: null,
    async close() {
      await wakeUps.close();
      await webhookWakeUps.close();
      await broadcastWakeUps.close();
      await notificationEvents.close();
    },
  };
}

function redisSideChannels(config: Config, redisUrl: string, logger: Logger): SideChannels {
  const { redisPrefix: prefix } = config;
  const redis = createRedis(redisUrl, logger, "producer");
  const wakeUps = new RedisWorkWakeUps(redis, redisUrl, prefix, logger);
  const webhookWakeUps = new RedisWorkWakeUps(redis, redisUrl, `${prefix}:webhooks`, logger);
  const broadcastWakeUps = new RedisWorkWakeUps(redis, redisUrl, `${prefix}:broadcasts`, logger);
  // The repositories announce what they change, through Redis, for live dashboards.
  const notificationEvents = new RedisNotificationEvents(redis, redisUrl, prefix, logger);
  const deliveryLatency = new RedisDeliveryLatency(redis, prefix, logger);
  let delivery: { redis: Redis; channels: DeliverySideChannels } | null = null;
  return {
    kind: "redis",
    redis,
    wakeUps,
    webhookWakeUps,
    broadcastWakeUps,
    notificationEvents,
    deliveryLatency,
    channelCircuit: new RedisChannelCircuit(redis, prefix, config.circuitCooldownSeconds, logger),
    forDelivery() {
      if (delivery) return delivery.channels;
      // Its own connection, which queues commands while reconnecting instead of failing them.
      const client = createRedis(redisUrl, logger, "client");
      const telegram = config.telegram;
      const telegramRateLimiter = telegram
        ? new RateLimiterWithFallback(
            new TelegramRateLimiter(client, {
              keyPrefix: `${prefix}:telegram-rate`,
              perChatPerSecond: telegram.perChatPerSecond,
              globalPerSecond: telegram.globalPerSecond,
            }),
            new InProcessChatRateLimiter(telegram),
            () => client.status === "ready",
            logger,
          )
        : null;
      const circuit = new RedisChannelCircuit(client, prefix, config.circuitCooldownSeconds, logger, 1_000);
      delivery = { redis: client, channels: { circuit, telegramRateLimiter } };
      return delivery.channels;
    },
    apiRateLimitStore: { redis, nameSpace: `${prefix}:rate-limit:` },
    ping: () => redis.ping(),
    async close() {
      await wakeUps.close();
      await webhookWakeUps.close();
      await broadcastWakeUps.close();
      await notificationEvents.close();
      await deliveryLatency.close();
      delivery?.redis.disconnect();
      redis.disconnect();
    },
  };
}
