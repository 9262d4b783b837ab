/**
 * Receipts a provider posts by itself (SMS.ru's status callback, parsed by its route), beside the
 * checks the workers make: recorded exactly as a check's answer would be, through recordReceipts.
 * Polling stays the backup: a callback that comes before the send's result is stored (or never
 * comes) changes nothing, and the checks find the status later. A posted in-transit status goes
 * into the timeline and leaves the next check as planned.
 */
import type { ReceiptReport } from "../channels/channel.js";
import type { Channel } from "../core/model.js";
import type { ReceiptsRepository, ReceiptUpdate } from "./receipts-repository.js";
import { type RecordReceiptsDeps, recordReceipts } from "./record-receipts.js";

export interface PostedReceiptsDeps extends RecordReceiptsDeps {
  store: Pick<ReceiptsRepository, "record" | "findAwaiting">;
}

/** How many message ids an "ignored" log line names; the rest are counted. */
const LOGGED_IDS = 20;

/**
 * Records what a provider posted. A message no attempt awaits a receipt for (an id we never got,
 * one whose send is not recorded yet, or one final already) is logged by its id and left alone.
 */
export async function recordPostedReceipts(
  deps: PostedReceiptsDeps,
  channel: Channel,
  reports: readonly ReceiptReport[],
): Promise<{ recorded: number; unknown: number }> {
  const latest = latestPerMessage(reports);
  const awaiting = await deps.store.findAwaiting(channel, [...latest.keys()]);
  const updates: ReceiptUpdate[] = [];
  const unknown: string[] = [];
  for (const [providerMessageId, report] of latest) {
    const attemptIds = awaiting.get(providerMessageId);
    if (!attemptIds) {
      unknown.push(providerMessageId);
      continue;
    }
    for (const attemptId of attemptIds) updates.push(postedUpdate(attemptId, report));
  }
  if (unknown.length > 0) {
    deps.logger.warn(
      { channel, ids: unknown.slice(0, LOGGED_IDS), count: unknown.length },
      "ignored posted receipts for messages no accepted attempt awaits",
    );
  }
  await recordReceipts(deps, updates);
  return { recorded: updates.length, unknown: unknown.length };
}

function postedUpdate(attemptId: number, report: ReceiptReport): ReceiptUpdate {
  return {
    attemptId,
    delivery: report.state === "in_transit" ? "accepted" : report.state,
    report: { state: report.state, code: report.code, text: report.text },
    nextCheckSeconds: null,
    posted: true,
  };
}

/**
 * One report per message: a final one over any in-transit one (a late-arriving "in transit"
 * must not hide "delivered" in the same callback), otherwise the last sent.
 */
export function latestPerMessage(reports: readonly ReceiptReport[]): Map<string, ReceiptReport> {
  const latest = new Map<string, ReceiptReport>();
  for (const report of reports) {
    const before = latest.get(report.providerMessageId);
    if (before && before.state !== "in_transit" && report.state === "in_transit") continue;
    latest.set(report.providerMessageId, report);
  }
  return latest;
}
