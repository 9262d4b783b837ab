/**
 * When the client sends a request again: 503 and 429 answers and network errors, only for calls
 * that are safe to repeat (GET, PUT, DELETE, or a create carrying an Idempotency-Key), after a
 * capped exponential backoff with full jitter, or exactly the answer's Retry-After.
 */
export interface RetryOptions {
  /** Further tries after the first; 0 turns retrying off. Default 3. */
  retries?: number;
  /** The first backoff's ceiling, doubled per try. Default 250 ms. */
  baseDelayMs?: number;
  /** No backoff is longer than this. Default 5 s. */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the answer is returned as it is. Default 60 s. */
  maxRetryAfterMs?: number;
  /**
   * How long one try may wait for the answer's headers before it counts as a network error
   * (retried like one). Default 30 s. A body, such as the event stream's, may take as long as it likes.
   */
  timeoutMs?: number;
  /** How the client waits; tests pass their own. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** 0 <= x < 1; tests pass their own. */
  random?: () => number;
}

const REPEATABLE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const RETRIED_STATUSES = new Set([429, 503]);

export function isRepeatable(request: Request): boolean {
  return REPEATABLE_METHODS.has(request.method) || request.headers.has("idempotency-key");
}

/** Full jitter: a random wait up to min(maxDelayMs, baseDelayMs * 2^retry). */
export function backoffMs(retry: number, options: Required<RetryOptions>): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.floor(options.random() * ceiling);
}

/** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function withRetryDefaults(options: RetryOptions = {}): Required<RetryOptions> {
  return {
    retries: options.retries ?? 3,
    baseDelayMs: options.baseDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    timeoutMs: options.timeoutMs ?? 30_000,
    sleep: options.sleep ?? sleep,
    random: options.random ?? Math.random,
  };
}

/** A fetch that repeats what is safe to repeat; every try sends the same request, headers included. */
export function retryingFetch(
  fetchOnce: (request: Request) => Promise<Response>,
  options: Required<RetryOptions>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const repeatable = isRepeatable(request);
    for (let retry = 0; ; retry++) {
      const mayRetry = repeatable && retry < options.retries && !request.signal.aborted;
      let response: Response;
      try {
        response = await withHeadersTimeout(
          fetchOnce,
          mayRetry ? request.clone() : request,
          options.timeoutMs,
        );
      } catch (error) {
        if (!mayRetry || request.signal.aborted) throw error;
        await options.sleep(backoffMs(retry, options), request.signal);
        continue;
      }
      if (!mayRetry || !RETRIED_STATUSES.has(response.status)) return response;
      const asked = retryAfterMs(response.headers.get("retry-after"));
      if (asked !== null && asked > options.maxRetryAfterMs) return response;
      await response.body?.cancel();
      await options.sleep(asked ?? backoffMs(retry, options), request.signal);
    }
  };
}

async function withHeadersTimeout(
  fetchOnce: (request: Request) => Promise<Response>,
  request: Request,
  timeoutMs: number,
): Promise<Response> {
  // One controller per try, fed by the caller's signal and the timer. Not AbortSignal.any: on
  // Node 20 a composite signal nothing else references can be collected, and then never fires.
  const controller = new AbortController();
  const forward = () => controller.abort(request.signal.reason);
  if (request.signal.aborted) forward();
  else request.signal.addEventListener("abort", forward, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The race, not only the abort, ends the wait: a fetch that ignores its signal still times out.
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new DOMException(`No answer within ${timeoutMs} ms`, "TimeoutError");
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([fetchOnce(new Request(request, { signal: controller.signal })), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", aborted, { once: true });
  });
}
