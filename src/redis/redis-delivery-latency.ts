import type { Redis } from "ioredis";
import type { Logger } from "../core/logger.js";
import type { Channel } from "../core/model.js";
import {
  DELIVERY_LATENCY_BUCKETS,
  type DeliveryLatencyHistogram,
  type LatencySeries,
} from "../usecases/delivery-observer.js";
import { PacedBatch } from "./paced-batch.js";

/** A scrape is at most this much behind the worker. */
const RECORD_INTERVAL_MS = 100;

/**
 * The time from a notification's creation to its being sent, as a histogram kept in one Redis
 * hash that every worker adds to. A histogram kept in each worker's memory could only be read by
 * scraping every worker; this one is whole for the deployment, and any API process serves it.
 * Lost when Redis loses its data, which Prometheus reads as a counter reset.
 */
export class RedisDeliveryLatency implements DeliveryLatencyHistogram {
  private readonly key: string;
  private readonly outgoing: PacedBatch<{ channel: Channel; secondsSinceCreated: number }>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.key = `${prefix}:metrics:delivery-latency`;
    this.outgoing = new PacedBatch(RECORD_INTERVAL_MS, (batch) => this.record(batch));
  }

  /** Sends go to Redis together: one transaction per tick, or per 100 ms for a busy worker. */
  sent(event: { notificationId: number; channel: Channel; secondsSinceCreated: number }): void {
    this.outgoing.add({ channel: event.channel, secondsSinceCreated: event.secondsSinceCreated });
  }

  /** Records what is still pending; a worker calls it as it stops. */
  close(): Promise<void> {
    return this.outgoing.flush();
  }

  private async record(batch: { channel: Channel; secondsSinceCreated: number }[]): Promise<void> {
    const increments = new Map<string, number>();
    const add = (field: string, by: number) => increments.set(field, (increments.get(field) ?? 0) + by);
    for (const { channel, secondsSinceCreated } of batch) {
      const index = DELIVERY_LATENCY_BUCKETS.findIndex((bound) => secondsSinceCreated <= bound);
      const bucket = index === -1 ? "+Inf" : String(DELIVERY_LATENCY_BUCKETS[index]);
      add(`${channel}|${bucket}`, 1);
      add(`${channel}|sum`, secondsSinceCreated);
      add(`${channel}|count`, 1);
    }
    // One transaction, so a scrape never sees a count that disagrees with the buckets.
    const transaction = this.redis.multi();
    for (const [field, by] of increments) {
      if (field.endsWith("|sum")) transaction.hincrbyfloat(this.key, field, by);
      else transaction.hincrby(this.key, field, by);
    }
    await transaction.exec().then(
      () => {},
      (error: Error) =>
        this.logger.debug({ count: batch.length, err: error.message }, "could not record delivery latency"),
    );
  }

  async read(): Promise<LatencySeries[]> {
    const fields = await this.redis.hgetall(this.key);
    const byChannel = new Map<string, Map<string, number>>();
    for (const [field, value] of Object.entries(fields)) {
      const [channel, name] = field.split("|");
      if (!channel || !name) continue;
      const entries = byChannel.get(channel) ?? new Map<string, number>();
      entries.set(name, Number(value));
      byChannel.set(channel, entries);
    }
    return [...byChannel].map(([channel, entries]) => {
      let cumulative = 0;
      const buckets = [...DELIVERY_LATENCY_BUCKETS.map(String), "+Inf"].map((bound) => {
        cumulative += entries.get(bound) ?? 0;
        return cumulative;
      });
      return { channel, buckets, sum: entries.get("sum") ?? 0, count: entries.get("count") ?? 0 };
    });
  }
}
