/**
 * Ingest: POST /api/notifications/ at a fixed number of connections for a fixed time, with
 * autocannon. Every request carries its own marker in the message, so each accepted notification
 * can be followed to the provider.
 */
import autocannon from "autocannon";
import { benchMessage } from "./providers/receipts.js";
import { epochMs, round } from "./stats.js";

export interface IngestSettings {
  baseUrl: string;
  headers: Record<string, string>;
  /** Notification n goes to userIds[n mod their count]. */
  userIds: readonly number[];
  connections: number;
  seconds: number;
  /** Marker phase letter of this load. */
  phase: string;
  /** The request body of notification number `n` (default: a plain message carrying its marker). */
  body?: (userId: number, phase: string, n: number) => unknown;
}

export interface IngestResult {
  connections: number;
  seconds: number;
  /** Responses of any status per second. */
  requestsPerSecond: number;
  /** 2xx responses (accepted notifications) per second. */
  acceptedPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  accepted: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Requests sent but not answered when the time was up. */
  unanswered: number;
  startedAt: number;
  endedAt: number;
}

export function runIngest(
  settings: IngestSettings,
  onStart?: (stop: () => void) => void,
): Promise<IngestResult> {
  let next = 0;
  const bodyOf =
    settings.body ??
    ((userId: number, phase: string, n: number) => ({ user: userId, message: benchMessage(phase, n) }));
  const body = () => {
    const n = next++;
    return JSON.stringify(bodyOf(settings.userIds[n % settings.userIds.length]!, settings.phase, n));
  };
  const startedAt = epochMs();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: new URL("/api/notifications/", settings.baseUrl).toString(),
        connections: settings.connections,
        duration: settings.seconds,
        method: "POST",
        headers: { ...settings.headers, "content-type": "application/json" },
        requests: [{ method: "POST", setupRequest: (request) => ({ ...request, body: body() }) }],
        timeout: 30,
      },
      (error, result) => {
        const endedAt = epochMs();
        if (error) {
          reject(error);
          return;
        }
        const statusCodes = Object.fromEntries(
          Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]),
        );
        const seconds = result.duration;
        resolve({
          connections: settings.connections,
          seconds: round(seconds, 2),
          requestsPerSecond: round(result.requests.total / seconds),
          acceptedPerSecond: round(result["2xx"] / seconds),
          latencyMs: {
            p50: result.latency.p50,
            p90: result.latency.p90,
            p99: result.latency.p99,
            max: result.latency.max,
            mean: round(result.latency.mean, 2),
          },
          accepted: result["2xx"],
          non2xx: result.non2xx,
          statusCodes,
          errors: result.errors,
          timeouts: result.timeouts,
          unanswered: Math.max(0, result.requests.sent - result.requests.total),
          startedAt,
          endedAt,
        });
      },
    );
    onStart?.(() => instance.stop());
  });
}
