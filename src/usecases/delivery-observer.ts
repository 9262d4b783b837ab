import type { Channel } from "../core/model.js";

/**
 * Told what deliveries end as, for metrics. The use case stays free of any metrics library; an
 * adapter (the Redis latency histogram) implements this. Must not throw and must not block.
 */
export interface DeliveryObserver {
  sent(event: { notificationId: number; channel: Channel; secondsSinceCreated: number }): void;
}
