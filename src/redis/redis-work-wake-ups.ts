/**
 * Wake-ups between processes through Redis pub/sub: a process that makes work due publishes on a
 * channel under REDIS_PREFIX, and every worker listens on one connection of its own. The message
 * carries nothing: the worker that wakes claims whatever PostgreSQL says is due. A lost message
 * (Redis away) delays work by one poll at most.
 */
import type { Redis } from "ioredis";
import type { Logger } from "../core/logger.js";
import type { WorkWakeUps } from "../usecases/ports.js";
import { createRedis } from "./connection.js";
import { PacedBatch } from "./paced-batch.js";

/** Under load, at most one wake-up per this interval: one is enough to wake every idle worker. */
const WAKE_INTERVAL_MS = 5;

export class RedisWorkWakeUps implements WorkWakeUps {
  private readonly channel: string;
  private readonly outgoing: PacedBatch<true>;
  private subscriber: Redis | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    /** A connection that fails fast: waking must never hold a request up. */
    private readonly publisher: Redis,
    private readonly redisUrl: string,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${prefix}:work-due`;
    this.outgoing = new PacedBatch(WAKE_INTERVAL_MS, () =>
      this.publisher.publish(this.channel, "").then(
        () => {},
        () => {
          // Redis is away: workers find the work at their next poll.
        },
      ),
    );
  }

  wake(): void {
    this.outgoing.add(true);
  }

  async listen(listener: () => void): Promise<() => void> {
    this.listeners.add(listener);
    if (!this.subscriber) {
      const subscriber = createRedis(this.redisUrl, this.logger, "subscriber");
      this.subscriber = subscriber;
      subscriber.on("message", (channel: string) => {
        if (channel === this.channel) for (const wake of this.listeners) wake();
      });
      let subscribed = false;
      const subscribe = () =>
        subscriber.subscribe(this.channel).then(
          () => {
            subscribed = true;
          },
          (error: Error) => {
            this.logger.warn({ err: error.message }, "could not listen for wake-ups yet; polling meanwhile");
          },
        );
      // ioredis subscribes again after a reconnect, but only to the channels it once subscribed
      // to: a worker that started while Redis was away, whose subscription failed, subscribes
      // when Redis answers, or it would poll for good. Anything published meanwhile is found by
      // polling.
      subscriber.on("ready", () => {
        if (!subscribed) void subscribe();
        for (const wake of this.listeners) wake();
      });
      // Not awaited: a worker must start, and poll, while Redis is away.
      void subscribe();
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
  }
}
