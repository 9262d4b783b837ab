import type { Channel } from "../core/model.js";
import {
  DELIVERY_LATENCY_BUCKETS,
  type DeliveryLatencyHistogram,
  type LatencySeries,
} from "../usecases/delivery-observer.js";

/**
 * The creation-to-sent histogram kept in this process, for a deployment without Redis: the
 * worker that records it is the process /metrics is served from. Starts from zero at each start,
 * which Prometheus reads as a counter reset.
 */
export class InProcessDeliveryLatency implements DeliveryLatencyHistogram {
  private readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();

  sent(event: { notificationId: number; channel: Channel; secondsSinceCreated: number }): void {
    let series = this.series.get(event.channel);
    if (!series) {
      series = { buckets: new Array(DELIVERY_LATENCY_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
      this.series.set(event.channel, series);
    }
    const index = DELIVERY_LATENCY_BUCKETS.findIndex((bound) => event.secondsSinceCreated <= bound);
    series.buckets[index === -1 ? DELIVERY_LATENCY_BUCKETS.length : index]! += 1;
    series.sum += event.secondsSinceCreated;
    series.count += 1;
  }

  async read(): Promise<LatencySeries[]> {
    return [...this.series].map(([channel, { buckets, sum, count }]) => {
      let cumulative = 0;
      return { channel, buckets: buckets.map((n) => (cumulative += n)), sum, count };
    });
  }

  async close(): Promise<void> {}
}
