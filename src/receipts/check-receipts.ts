/**
 * Asks providers what became of the messages they accepted, many per call, and records it. A
 * final receipt for a notification held for it makes that notification due now (its worker then
 * ends it sent, or goes on to the next channel); webhook subscribers hear of the delivery summary
 * changing. A receipt for an attempt that is no longer the notification's latest accepted one (a
 * fallback already went out) is recorded and changes nothing else.
 */
import type { ReceiptReport, ReceiptSource } from "../channels/channel.js";
import type { Channel } from "../core/model.js";
import { nextCheck, type ReceiptSchedule } from "./receipt-schedule.js";
import type { ReceiptCheck, ReceiptUpdate } from "./receipts-repository.js";
import { type RecordReceiptsDeps, recordReceipts } from "./record-receipts.js";

export interface CheckReceiptsDeps extends RecordReceiptsDeps {
  /** The providers that give receipts, by channel. */
  sources: ReadonlyMap<Channel, ReceiptSource>;
  schedule: ReceiptSchedule;
  /** A provider call that has not answered within this has failed (the checks come again later). */
  timeoutSeconds: number;
}

export async function checkReceipts(deps: CheckReceiptsDeps, checks: readonly ReceiptCheck[]): Promise<void> {
  const updates: ReceiptUpdate[] = [];
  for (const [channel, ofChannel] of groupByChannel(checks)) {
    const source = deps.sources.get(channel);
    for (let start = 0; start < ofChannel.length; start += source?.maxBatch ?? ofChannel.length) {
      const chunk = ofChannel.slice(start, start + (source?.maxBatch ?? ofChannel.length));
      const reports = source ? await ask(deps, source, channel, chunk) : new Map<string, ReceiptReport>();
      for (const check of chunk)
        updates.push(updateFor(check, reports.get(check.providerMessageId), deps.schedule));
    }
  }
  await recordReceipts(deps, updates);
}

async function ask(
  deps: CheckReceiptsDeps,
  source: ReceiptSource,
  channel: Channel,
  chunk: readonly ReceiptCheck[],
): Promise<Map<string, ReceiptReport>> {
  const ids = chunk.map((check) => check.providerMessageId);
  const result = await source
    .check(ids, AbortSignal.timeout(deps.timeoutSeconds * 1000))
    .catch((error: unknown) => ({ failure: error instanceof Error ? error.name : "unknown error" }));
  if ("failure" in result) {
    deps.logger.warn(
      { channel, messages: ids.length, reason: result.failure },
      "could not check delivery receipts",
    );
    return new Map();
  }
  const asked = new Set(ids);
  const unknown = result.filter((report) => !asked.has(report.providerMessageId));
  if (unknown.length > 0) {
    deps.logger.warn(
      { channel, ids: unknown.map((report) => report.providerMessageId) },
      "ignored receipts for messages this check did not ask about",
    );
  }
  return new Map(result.map((report) => [report.providerMessageId, report]));
}

function updateFor(
  check: ReceiptCheck,
  report: ReceiptReport | undefined,
  schedule: ReceiptSchedule,
): ReceiptUpdate {
  const reported = report ? { state: report.state, code: report.code, text: report.text } : null;
  if (report && report.state !== "in_transit") {
    return { attemptId: check.attemptId, delivery: report.state, report: reported, nextCheckSeconds: null };
  }
  const next = nextCheck(check.checks + 1, check.ageSeconds, schedule);
  return next.kind === "give_up"
    ? { attemptId: check.attemptId, delivery: "unknown", report: reported, nextCheckSeconds: null }
    : {
        attemptId: check.attemptId,
        delivery: "accepted",
        report: reported,
        nextCheckSeconds: next.inSeconds,
      };
}

function groupByChannel(checks: readonly ReceiptCheck[]): Map<Channel, ReceiptCheck[]> {
  const groups = new Map<Channel, ReceiptCheck[]>();
  for (const check of checks) {
    const group = groups.get(check.channel) ?? [];
    group.push(check);
    groups.set(check.channel, group);
  }
  return groups;
}
