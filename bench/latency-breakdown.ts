/**
 * Where the light-load latency goes, using the service's own timestamps as waypoints (the headline
 * number never depends on them): POST → row committed (created_at), → attempt started (the
 * worker is about to call the provider), → provider received, → attempt finished. Best effort: if
 * the schema changes and the query fails, the breakdown is left out.
 */
import type { DatabaseObserver } from "./database-observer.js";
import { benchMessagePattern } from "./providers/receipts.js";
import { type LatencySummary, summarize } from "./stats.js";

export interface LightSample {
  n: number;
  postStart: number;
  receivedAt: number;
}

export interface LatencyBreakdown {
  postToStored: LatencySummary;
  storedToAttemptStarted: LatencySummary;
  attemptStartedToProvider: LatencySummary;
  providerToAttemptFinished: LatencySummary;
}

export async function latencyBreakdown(
  database: DatabaseObserver,
  phase: string,
  samples: readonly LightSample[],
): Promise<LatencyBreakdown | null> {
  let rows: Array<{ message: string; created: number; started: number; finished: number }>;
  try {
    rows = await database.attemptTimes(benchMessagePattern(phase));
  } catch {
    return null;
  }
  const byN = new Map(rows.map((row) => [Number(/bm-[a-z](\d+)/.exec(row.message)?.[1]), row]));
  const segments = {
    postToStored: [],
    storedToAttemptStarted: [],
    attemptStartedToProvider: [],
    providerToAttemptFinished: [],
  } as Record<keyof LatencyBreakdown, number[]>;
  for (const sample of samples) {
    const row = byN.get(sample.n);
    if (!row) continue;
    segments.postToStored.push(row.created - sample.postStart);
    segments.storedToAttemptStarted.push(row.started - row.created);
    segments.attemptStartedToProvider.push(sample.receivedAt - row.started);
    segments.providerToAttemptFinished.push(row.finished - sample.receivedAt);
  }
  if (segments.postToStored.length === 0) return null;
  return {
    postToStored: summarize(segments.postToStored),
    storedToAttemptStarted: summarize(segments.storedToAttemptStarted),
    attemptStartedToProvider: summarize(segments.attemptStartedToProvider),
    providerToAttemptFinished: summarize(segments.providerToAttemptFinished),
  };
}
