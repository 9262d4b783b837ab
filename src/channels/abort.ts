/** How providers word and await the caller's AbortSignal (its delivery timeout). */

/** A readable reason for an aborted call: the caller's signal is its timeout, so say so. */
export function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name !== "TimeoutError" && reason.name !== "AbortError") {
    return `aborted: ${reason.message}`;
  }
  return "timed out";
}

/** Resolves when the signal aborts; `stop` removes the listener once the race is over. */
export function whenAborted(signal: AbortSignal): { aborted: Promise<void>; stop: () => void } {
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  return { aborted, stop: () => signal.removeEventListener("abort", onAbort) };
}
