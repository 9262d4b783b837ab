/**
 * Latency at a light, steady load: one POST every 1/rate seconds, paced by the clock (a late
 * request does not delay the next one), each timed from the start of its POST to the moment the
 * provider received it. No autocannon: it measures saturation, not a steady trickle.
 */
import type { ApiClient } from "./api-client.js";
import type { LightSample } from "./latency-breakdown.js";
import type { LoopbackProviders } from "./providers/loopback-providers.js";
import { benchMessage } from "./providers/receipts.js";
import { epochMs, type LatencySummary, sleep, summarize } from "./stats.js";

export interface LightLoadSettings {
  userId: number;
  ratePerSecond: number;
  seconds: number;
  phase: string;
  /** How long to wait after the last POST for the last receipts. */
  settleSeconds: number;
  onProgress?: (sent: number, total: number) => void;
}

export interface LightLoadResult {
  ratePerSecond: number;
  seconds: number;
  sent: number;
  accepted: number;
  failed: number;
  received: number;
  missing: number;
  /** POST start to provider receipt. */
  endToEndMs: LatencySummary;
  /** POST start to the 201. */
  responseMs: LatencySummary;
  /** Per received notification: its number, POST start and receipt time (not written to the results). */
  samples: LightSample[];
  /** How far behind its slot the pacing loop sent the latest request (the load generator's own lag). */
  maxScheduleLagMs: number;
}

export async function runLightLoad(
  client: ApiClient,
  providers: LoopbackProviders,
  settings: LightLoadSettings,
): Promise<LightLoadResult> {
  const count = Math.round(settings.ratePerSecond * settings.seconds);
  const intervalMs = 1000 / settings.ratePerSecond;
  const postStarts = new Map<number, number>();
  const responseTimes: number[] = [];
  let accepted = 0;
  let failed = 0;
  let maxScheduleLagMs = 0;
  const inFlight: Promise<void>[] = [];
  const startedAt = epochMs();

  for (let n = 0; n < count; n++) {
    const slot = startedAt + n * intervalMs;
    const wait = slot - epochMs();
    if (wait > 0) await sleep(wait);
    const postStart = epochMs();
    maxScheduleLagMs = Math.max(maxScheduleLagMs, postStart - slot);
    postStarts.set(n, postStart);
    inFlight.push(
      client
        .post("/api/notifications/", { user: settings.userId, message: benchMessage(settings.phase, n) })
        .then(
          (response) => {
            responseTimes.push(epochMs() - postStart);
            if (response.status >= 200 && response.status < 300) accepted += 1;
            else failed += 1;
          },
          () => {
            failed += 1;
          },
        ),
    );
    settings.onProgress?.(n + 1, count);
  }
  await Promise.all(inFlight);

  const deadline = epochMs() + settings.settleSeconds * 1000;
  let snapshot = await providers.snapshot(settings.phase, true);
  while (snapshot.snapshot.unique < accepted && epochMs() < deadline) {
    await sleep(100);
    snapshot = await providers.snapshot(settings.phase, true);
  }
  const samples: LightSample[] = [];
  for (const [n, receivedAt] of snapshot.snapshot.times ?? []) {
    const postStart = postStarts.get(n);
    if (postStart !== undefined) samples.push({ n, postStart, receivedAt });
  }
  const endToEnd = samples.map((sample) => sample.receivedAt - sample.postStart);
  return {
    ratePerSecond: settings.ratePerSecond,
    seconds: settings.seconds,
    sent: count,
    accepted,
    failed,
    received: snapshot.snapshot.unique,
    missing: Math.max(0, accepted - snapshot.snapshot.unique),
    endToEndMs: summarize(endToEnd),
    responseMs: summarize(responseTimes),
    maxScheduleLagMs: Math.round(maxScheduleLagMs * 100) / 100,
    samples,
  };
}
