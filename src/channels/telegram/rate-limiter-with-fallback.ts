import type { Logger } from "../../core/logger.js";
import type { ChatRateLimiter, RateLimitDecision } from "./telegram-rate-limit.js";

/** How long the shared limiter may take to answer before this process paces itself instead. */
const SHARED_ANSWER_TIMEOUT_MS = 250;

/**
 * The shared limiter (Redis, kept by every worker together) while it answers, and this process's
 * own limiter while it does not: Telegram goes on at up to its limits from each process, never in
 * a burst, instead of pausing until Redis is back. With several workers the bot as a whole may
 * then exceed 30/s for the outage; Telegram answers that with 429s and retry_after, which the
 * delivery policy already waits out.
 */
export class RateLimiterWithFallback implements ChatRateLimiter {
  private degraded = false;

  constructor(
    private readonly shared: ChatRateLimiter,
    private readonly local: ChatRateLimiter,
    /** False while the shared limiter is known to be unreachable, to skip asking it. */
    private readonly sharedReachable: () => boolean,
    private readonly logger: Logger,
  ) {}

  async reserve(chatId: string, maxWaitMs: number): Promise<RateLimitDecision> {
    if (this.sharedReachable()) {
      try {
        const decision = await withTimeout(this.shared.reserve(chatId, maxWaitMs), SHARED_ANSWER_TIMEOUT_MS);
        if (this.degraded) {
          this.degraded = false;
          this.logger.info({}, "Telegram pacing is shared through Redis again");
        }
        return decision;
      } catch (error) {
        this.degrade(error);
      }
    } else this.degrade(new Error("Redis is not connected"));
    return this.local.reserve(chatId, maxWaitMs);
  }

  private degrade(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "Telegram pacing falls back to this process's own limits until Redis answers again",
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
