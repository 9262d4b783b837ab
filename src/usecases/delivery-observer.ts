import type { Channel } from "../core/model.js";

/**
 * Told what deliveries end as, for metrics. The use case stays free of any metrics library; an
 * adapter (the Redis latency histogram) implements this. Must not throw and must not block.
 */
export interface DeliveryObserver {
  sent(event: { notificationId: number; channel: Channel; secondsSinceCreated: number }): void;
}

/** Upper bounds, in seconds, of the creation-to-sent histogram: from instant sends to hours of retries. */
export const DELIVERY_LATENCY_BUCKETS = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600,
] as const;

export interface LatencySeries {
  channel: string;
  /** Cumulative count per upper bound, in DELIVERY_LATENCY_BUCKETS order, then +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

/** The creation-to-sent histogram /metrics serves: recorded by workers, read by any API process. */
export interface DeliveryLatencyHistogram extends DeliveryObserver {
  read(): Promise<LatencySeries[]>;
  /** Records what is still pending. */
  close(): Promise<void>;
}
