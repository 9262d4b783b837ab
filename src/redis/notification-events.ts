/**
 * Live changes for dashboards, through Redis pub/sub: every process announces what it changed
 * (PUBLISH on a channel under REDIS_PREFIX), and each API process listens on one connection of
 * its own, opened when the first watcher subscribes, and fans the events out.
 *
 * Not PostgreSQL NOTIFY: commits that notify take a database-wide lock one after the other, which
 * cut concurrent inserts about fivefold here. A PUBLISH costs the writer one fire-and-forget
 * command, and a lost event only makes a dashboard reload late (it reloads on every reconnect).
 */
import type { Redis } from "ioredis";
import type { Logger } from "../core/logger.js";
import type {
  NotificationEvent,
  NotificationEventFeed,
  NotificationEventPublisher,
} from "../usecases/ports.js";
import { createRedis } from "./connection.js";
import { PacedBatch } from "./paced-batch.js";

const SUBSCRIBE_TIMEOUT_MS = 5_000;
/** At most this much later than the change it announces, and one message per this interval. */
const PUBLISH_INTERVAL_MS = 50;

export class RedisNotificationEvents implements NotificationEventPublisher, NotificationEventFeed {
  readonly channel: string;
  private readonly listeners = new Set<(event: NotificationEvent) => void>();
  private subscriber: Redis | null = null;
  private subscribed: Promise<void> | null = null;
  private readonly outgoing: PacedBatch<NotificationEvent>;

  constructor(
    /** A connection that fails fast: publishing must never hold a request or a delivery up. */
    private readonly publisher: Redis,
    private readonly redisUrl: string,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${prefix}:notification-events`;
    this.outgoing = new PacedBatch(PUBLISH_INTERVAL_MS, (batch) =>
      this.publisher.publish(this.channel, JSON.stringify(batch)).then(
        () => {},
        () => {
          // Redis is away: watchers miss these changes and reload when their stream comes back.
        },
      ),
    );
  }

  /** Events go out together, one message per tick or per 50 ms under load, in the order announced. */
  publish(event: NotificationEvent): void {
    this.outgoing.add(event);
  }

  async subscribe(listener: (event: NotificationEvent) => void): Promise<() => void> {
    this.listeners.add(listener);
    try {
      await this.connect();
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    await this.outgoing.flush();
    this.listeners.clear();
    this.subscriber?.disconnect();
    this.subscriber = null;
    this.subscribed = null;
  }

  private connect(): Promise<void> {
    this.subscribed ??= this.open().catch((error: unknown) => {
      this.subscribed = null;
      this.subscriber?.disconnect();
      this.subscriber = null;
      throw error;
    });
    return this.subscribed;
  }

  private async open(): Promise<void> {
    const subscriber = createRedis(this.redisUrl, this.logger, "subscriber");
    this.subscriber = subscriber;
    subscriber.on("message", (channel: string, payload: string) => {
      if (channel !== this.channel) return;
      try {
        for (const event of JSON.parse(payload) as NotificationEvent[]) this.emit(event);
      } catch {
        // Only our own processes publish here; a payload we cannot read is skipped.
      }
    });
    let readyBefore = false;
    // ioredis reconnects and subscribes again by itself; what was published meanwhile is lost.
    subscriber.on("ready", () => {
      if (readyBefore) this.emit({ type: "resync" });
      readyBefore = true;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error("Redis did not answer the subscription for live updates")),
        SUBSCRIBE_TIMEOUT_MS,
      );
    });
    try {
      // Named after the channel, so an operator (or a test) can tell it apart in CLIENT LIST.
      await Promise.race([subscriber.client("SETNAME", this.channel.replace(/\s/g, "_")), timeout]);
      await Promise.race([subscriber.subscribe(this.channel), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private emit(event: NotificationEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
