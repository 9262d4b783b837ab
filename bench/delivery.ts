/**
 * Delivery: after ingest ends, waits until every notification the service stored has reached the
 * provider (or progress stalls, or the time is up), then counts, in PostgreSQL and at the
 * provider, what was accepted, stored, received and lost.
 */
import { type DatabaseObserver, total } from "./database-observer.js";
import type { IngestResult } from "./ingest.js";
import type { LoopbackProviders } from "./providers/loopback-providers.js";
import { benchMessagePattern } from "./providers/receipts.js";
import { epochMs, round, sleep } from "./stats.js";

export interface DrainSettings {
  phase: string;
  timeoutSeconds: number;
  /** Give up earlier when no new receipt arrived for this long. */
  stallSeconds: number;
  onProgress?: (received: number, stored: number) => void;
}

export interface DeliveryResult {
  /** 2xx answers to the load generator. */
  accepted: number;
  /** Rows of this phase in PostgreSQL (can exceed `accepted` by requests still in flight at the stop). */
  stored: number;
  /** Distinct notifications of this phase the provider received. */
  received: number;
  /** Receipts of a notification received before (the same notification delivered twice). */
  duplicates: number;
  /** accepted − received: acknowledged with 201 and never delivered. */
  lost: number;
  /** Stored in PostgreSQL yet never received by the provider. */
  storedNotReceived: number;
  receivedByIngestEnd: number;
  backlogAtIngestEnd: number;
  drained: boolean;
  /** From the end of ingest to the last provider receipt. */
  drainSeconds: number | null;
  /** From the first POST to the last provider receipt. */
  endToEndSeconds: number | null;
  /** Received notifications per second over endToEndSeconds. */
  deliveredPerSecond: number;
  /** Provider receipts per second while ingest was running. */
  deliveredPerSecondDuringIngest: number;
  statuses: Record<string, number>;
}

export async function waitForDelivery(
  providers: LoopbackProviders,
  database: DatabaseObserver,
  ingest: IngestResult,
  settings: DrainSettings,
): Promise<DeliveryResult> {
  const pattern = benchMessagePattern(settings.phase);
  const atIngestEnd = await providers.snapshot(settings.phase);
  const receivedByIngestEnd = atIngestEnd.snapshot.unique;
  let statuses = await database.statuses(pattern);
  let stored = total(statuses);
  const backlogAtIngestEnd = Math.max(0, stored - receivedByIngestEnd);

  const deadline = epochMs() + settings.timeoutSeconds * 1000;
  let received = receivedByIngestEnd;
  let lastProgressAt = epochMs();
  let lastStatusCheck = 0;
  let drained = false;
  while (epochMs() < deadline) {
    const { snapshot } = await providers.snapshot(settings.phase);
    if (snapshot.unique > received) lastProgressAt = epochMs();
    received = snapshot.unique;
    settings.onProgress?.(received, stored);
    if (received >= stored || epochMs() - lastStatusCheck > 2_000) {
      statuses = await database.statuses(pattern);
      stored = total(statuses);
      lastStatusCheck = epochMs();
      // Done once everything stored reached the provider and the service has recorded it so.
      if (received >= stored && !statuses.pending) {
        drained = true;
        break;
      }
    }
    if (epochMs() - lastProgressAt > settings.stallSeconds * 1000 && received < stored) break;
    await sleep(250);
  }

  const final = await providers.snapshot(settings.phase);
  statuses = await database.statuses(pattern);
  stored = total(statuses);
  const { unique, duplicates, lastAt } = final.snapshot;
  const endToEndSeconds = lastAt === null ? null : (lastAt - ingest.startedAt) / 1000;
  const ingestSeconds = (ingest.endedAt - ingest.startedAt) / 1000;
  return {
    accepted: ingest.accepted,
    stored,
    received: unique,
    duplicates,
    lost: Math.max(0, ingest.accepted - unique),
    storedNotReceived: Math.max(0, stored - unique),
    receivedByIngestEnd,
    backlogAtIngestEnd,
    drained,
    drainSeconds: lastAt === null ? null : round(Math.max(0, lastAt - ingest.endedAt) / 1000, 2),
    endToEndSeconds: endToEndSeconds === null ? null : round(endToEndSeconds, 2),
    deliveredPerSecond: endToEndSeconds ? round(unique / endToEndSeconds) : 0,
    deliveredPerSecondDuringIngest: round(receivedByIngestEnd / ingestSeconds),
    statuses,
  };
}
