import type { FastifyPluginAsync } from "fastify";
import { CHANNELS, type Channel } from "../../core/model.js";
import type { HttpDeps } from "./http-deps.js";

/** How long /readyz waits for PostgreSQL and for Redis before calling either failed. */
const READINESS_TIMEOUT_MS = 2_000;

type CheckResult =
  | { status: "ok"; latency_ms: number }
  | { status: "failed"; error: string }
  /** No REDIS_URL: what Redis would share lives in this process, so there is nothing to ask. */
  | { status: "in_process" };

const inProcess = async (): Promise<CheckResult> => ({ status: "in_process" });

/**
 * Public operational endpoints, outside /api (no key, no rate limit): /healthz (the process
 * answers), /readyz (its dependencies answer), /metrics (Prometheus).
 */
export const observabilityRoutes: FastifyPluginAsync<HttpDeps> = async (app, { core, config }) => {
  // prom-client is loaded by the first scrape, not at start: an API nobody scrapes saves ~12 MiB.
  let metrics: Promise<{ render(): Promise<string>; contentType: string }> | null = null;
  const loadMetrics = () => {
    metrics ??= import("../../metrics/prometheus-metrics.js").then(({ createPrometheusMetrics }) =>
      createPrometheusMetrics({
        stats: () => core.deliveryStats.read(),
        latency: () => core.deliveryLatency.read(),
      }),
    );
    return metrics;
  };

  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));

  app.get("/readyz", { schema: { hide: true } }, async (request, reply) => {
    const [postgres, redis] = await Promise.all([
      check(() => core.pool.query("SELECT 1")),
      core.sideChannels.ping ? check(core.sideChannels.ping) : inProcess(),
    ]);
    // Redis only speeds things up (wake-ups, live events, shared limits): without it the API still
    // accepts and the workers still deliver, so it degrades readiness without failing it.
    const ready = postgres.status === "ok";
    if (!ready || redis.status === "failed")
      request.log.warn({ postgres, redis }, ready ? "degraded" : "not ready");
    const channels = Object.fromEntries(
      CHANNELS.map((channel) => [channel, channelState(channel)]),
    ) as Record<Channel, string>;
    return reply.code(ready ? 200 : 503).send({
      status: !ready ? "unavailable" : redis.status === "failed" ? "degraded" : "ok",
      checks: { postgres, redis },
      channels,
      delivery_sandbox: config.deliverySandbox,
    });
  });

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    const loaded = await loadMetrics();
    const body = await loaded.render();
    return reply.type(loaded.contentType).send(body);
  });

  function channelState(channel: Channel): "sandbox" | "configured" | "not_configured" {
    if (config.deliverySandbox) return "sandbox";
    return config.missingChannels[channel] ? "not_configured" : "configured";
  }
};

async function check(probe: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)),
      READINESS_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([probe(), timeout]);
    return { status: "ok", latency_ms: Math.round(performance.now() - started) };
  } catch (error) {
    // A short reason only: this endpoint is public, the details go to the log.
    const code = (error as { code?: string }).code;
    return { status: "failed", error: code ?? (error instanceof Error ? error.message : "failed") };
  } finally {
    clearTimeout(timer);
  }
}
