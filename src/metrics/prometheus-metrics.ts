/**
 * /metrics in Prometheus' text format. Every delivery series describes the whole deployment, not
 * the process that answers: counts and queue depth are read from PostgreSQL (the source of truth,
 * and the queue) at scrape time, and the creation-to-sent histogram from the Redis hash all workers add
 * to. Any API process gives the same numbers, so scrape one of them (or the load balancer) and
 * never sum across processes. The counters include what left the tables (retired_counts), so they
 * never go down. Only the process_* and nodejs_* series are about the process itself.
 */
import { Counter, collectDefaultMetrics, Gauge, type Metric, Registry } from "prom-client";
import { CHANNELS } from "../core/model.js";
import type { DeliveryStats } from "../db/delivery-stats-repository.js";
import { DELIVERY_LATENCY_BUCKETS, type LatencySeries } from "../usecases/delivery-observer.js";

export interface MetricsSources {
  stats(): Promise<DeliveryStats>;
  latency(): Promise<LatencySeries[]>;
}

export interface PrometheusMetrics {
  contentType: string;
  render(): Promise<string>;
}

const P = "notification_service_";
const NO_CHANNEL = "none";

export function createPrometheusMetrics(
  sources: MetricsSources,
  options: { processMetrics?: boolean; sourceTimeoutMs?: number } = {},
): PrometheusMetrics {
  const registry = new Registry();
  const registers = [registry];
  const created = new Counter({
    name: `${P}notifications_created_total`,
    help: "Notifications created (rows in PostgreSQL)",
    registers,
  });
  const sent = new Counter({
    name: `${P}notifications_sent_total`,
    help: "Notifications that ended sent, by the channel that delivered them",
    labelNames: ["channel"],
    registers,
  });
  const failed = new Counter({
    name: `${P}notifications_failed_total`,
    help: 'Notifications that ended failed, by the last channel a provider was called on ("none": every channel was skipped); one manually retried and failed again counts twice',
    labelNames: ["channel"],
    registers,
  });
  const attempts = new Counter({
    name: `${P}delivery_attempts_total`,
    help: 'Finished channel attempts by channel, status (sent, failed, skipped, interrupted) and error kind ("none" when sent)',
    labelNames: ["channel", "status", "error_kind"],
    registers,
  });
  const pending = new Gauge({
    name: `${P}notifications_pending`,
    help: "Notifications not yet sent or failed",
    registers,
  });
  const waitingForRetry = new Gauge({
    name: `${P}notifications_waiting_for_retry`,
    help: "Pending notifications that failed at least one round and wait for their next",
    registers,
  });
  const queued = new Gauge({
    name: `${P}queue_notifications`,
    help: "Pending notifications by queue state: due (due now, no worker holds it yet), held (a worker holds it under a lease), scheduled (due later: a retry round, a send_at or the end of quiet hours)",
    labelNames: ["state"],
    registers,
  });
  const oldestDue = new Gauge({
    name: `${P}queue_oldest_due_seconds`,
    help: "How long the longest-waiting due notification no worker holds has been due (0 when none is): the delivery lag, which grows when workers are down or cannot keep up",
    registers,
  });
  const webhookEnabled = new Gauge({
    name: `${P}webhook_endpoint_enabled`,
    help: "1 while the webhook endpoint is enabled, 0 once disabled (by hand, or after failing for WEBHOOK_DISABLE_AFTER_DAYS)",
    labelNames: ["endpoint"],
    registers,
  });
  const webhookFailing = new Gauge({
    name: `${P}webhook_endpoint_failing_seconds`,
    help: "How long every attempt at the webhook endpoint has failed, since its first failure after a success (0 while it succeeds)",
    labelNames: ["endpoint"],
    registers,
  });
  const webhookPending = new Gauge({
    name: `${P}webhook_deliveries_pending`,
    help: "Webhook deliveries to the endpoint not yet succeeded or given up",
    labelNames: ["endpoint"],
    registers,
  });
  const webhookOldest = new Gauge({
    name: `${P}webhook_oldest_pending_seconds`,
    help: "How long the endpoint's oldest pending webhook delivery has waited since its event (0 when none is pending)",
    labelNames: ["endpoint"],
    registers,
  });
  const sourceUp = new Gauge({
    name: `${P}metrics_source_up`,
    help: "1 when the source (postgres, redis) answered this scrape; its series are left out when 0",
    labelNames: ["source"],
    registers,
  });
  const latency = new SnapshotHistogram(
    `${P}delivery_latency_seconds`,
    "Time from a notification's creation to its being sent, by channel",
  );
  registry.registerMetric(latency as unknown as Metric);
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });

  const refresh = async () => {
    // A source that hangs must not hang the scrape.
    const timeoutMs = options.sourceTimeoutMs ?? 5_000;
    const [stats, latencySeries] = await Promise.allSettled([
      withTimeout(sources.stats(), timeoutMs),
      withTimeout(sources.latency(), timeoutMs),
    ]);
    const fromPostgres = [created, sent, failed, attempts, pending, waitingForRetry, queued, oldestDue];
    for (const metric of [...fromPostgres, webhookEnabled, webhookFailing, webhookPending, webhookOldest]) {
      metric.reset();
    }
    sourceUp.set({ source: "postgres" }, stats.status === "fulfilled" ? 1 : 0);
    sourceUp.set({ source: "redis" }, latencySeries.status === "fulfilled" ? 1 : 0);
    if (stats.status === "fulfilled") {
      const value = stats.value;
      created.inc(value.created);
      for (const channel of CHANNELS) {
        sent.inc({ channel }, 0);
        failed.inc({ channel }, 0);
      }
      for (const row of value.ended) {
        (row.status === "sent" ? sent : failed).inc({ channel: row.channel ?? NO_CHANNEL }, row.count);
      }
      for (const row of value.attempts) {
        attempts.inc(
          { channel: row.channel, status: row.status, error_kind: row.errorKind ?? "none" },
          row.count,
        );
      }
      pending.set(value.pending);
      waitingForRetry.set(value.waitingForRetry);
      for (const state of ["due", "held", "scheduled"] as const) queued.set({ state }, value.queue[state]);
      oldestDue.set(value.queue.oldestDueSeconds);
      for (const endpoint of value.webhookEndpoints) {
        const labels = { endpoint: String(endpoint.id) };
        webhookEnabled.set(labels, endpoint.enabled ? 1 : 0);
        webhookFailing.set(labels, endpoint.failingSeconds);
        webhookPending.set(labels, endpoint.pending);
        webhookOldest.set(labels, endpoint.oldestPendingSeconds);
      }
    }
    latency.series = latencySeries.status === "fulfilled" ? latencySeries.value : [];
  };

  // Scrapes that arrive together share one round of queries.
  let inFlight: Promise<void> | null = null;
  return {
    contentType: registry.contentType,
    async render() {
      inFlight ??= refresh().finally(() => {
        inFlight = null;
      });
      await inFlight;
      return registry.metrics();
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A histogram whose buckets are read from elsewhere (Redis) rather than observed here; prom-client
 * only serialises what get() returns.
 */
class SnapshotHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  series: LatencySeries[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  async get() {
    const bounds = [...DELIVERY_LATENCY_BUCKETS.map(String), "+Inf"];
    const values = this.series.flatMap(({ channel, buckets, sum, count }) => [
      ...bounds.map((le, index) => ({
        metricName: `${this.name}_bucket`,
        labels: { channel, le },
        value: buckets[index] ?? count,
      })),
      { metricName: `${this.name}_sum`, labels: { channel }, value: sum },
      { metricName: `${this.name}_count`, labels: { channel }, value: count },
    ]);
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset() {
    this.series = [];
  }
}
