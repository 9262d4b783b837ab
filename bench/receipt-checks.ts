/**
 * Receipts: after a phase drained, waits until the service has asked SMS.ru about every message
 * sent so far and recorded the answer (the loopback SMS.ru reports each one delivered). Asking is
 * part of what an SMS costs, so the CPU of this wait counts with the phase's.
 */
import type { DatabaseObserver } from "./database-observer.js";
import { epochMs, round, sleep } from "./stats.js";

export interface ReceiptsResult {
  /** Messages still waiting for their receipt when the wait ended (0 when done). */
  waiting: number;
  /** From the end of the drain until the last receipt was recorded. */
  seconds: number;
}

export async function waitForReceipts(
  database: DatabaseObserver,
  timeoutSeconds: number,
  onProgress?: (waiting: number) => void,
): Promise<ReceiptsResult> {
  const startedAt = epochMs();
  const deadline = startedAt + timeoutSeconds * 1000;
  let waiting = await database.receiptsToCome();
  while (waiting > 0 && epochMs() < deadline) {
    onProgress?.(waiting);
    await sleep(500);
    waiting = await database.receiptsToCome();
  }
  return { waiting, seconds: round((epochMs() - startedAt) / 1000, 2) };
}
