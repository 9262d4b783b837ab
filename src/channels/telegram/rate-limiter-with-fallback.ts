import type { Logger } from "../../core/logger.js";
import type { ChatRateLimiter, RateLimitDecision } from "./telegram-rate-limit.js";

/** This process's own limiter, which can also book a slot no sooner than one booked elsewhere. */
export interface LocalChatRateLimiter extends ChatRateLimiter {
  reserve(chatId: string, maxWaitMs: number, minWaitMs?: number): Promise<RateLimitDecision>;
}

export interface FallbackTiming {
  /** How long the shared limiter may take to answer before this process paces itself instead. */
  answerTimeoutMs: number;
  /** After a late or failed answer, how long this process paces itself before asking Redis again. */
  localHoldMs: number;
  /** How long Redis must answer in time, after its last miss, for the episode to be over. */
  steadyMs: number;
}

const DEFAULT_TIMING: FallbackTiming = { answerTimeoutMs: 250, localHoldMs: 5_000, steadyMs: 30_000 };

/**
 * A shared booking followed locally may wait this much past the caller's limit: the two clocks are
 * compared through a network round trip and an event loop, so the same slot can look a few
 * milliseconds later here. Only a slot clashing with this process's own bookings is refused.
 */
const FOLLOW_TOLERANCE_MS = 50;

/**
 * The shared limiter (Redis, kept by every worker together) while it answers, and this process's
 * own limiter while it does not: Telegram goes on at up to its limits from each process, never in
 * a burst, instead of pausing until Redis is back. With several workers the bot as a whole may
 * then exceed 30/s for the outage; Telegram answers that with 429s and retry_after, which the
 * delivery policy already waits out.
 *
 * Every slot is also booked in the local limiter, the shared ones at the moment Redis gave: falling
 * back then goes on after the slots this process already holds, and coming back does not book a
 * slot that Redis, unaware of the local ones, offers too soon. A Redis that is slow now and then
 * would otherwise make the two alternate with a burst at each change, and a log line at each:
 * after a late or failed answer the local limiter alone is used for `localHoldMs`, and an episode
 * (one warning as it starts, one line as it ends) lasts until Redis has answered in time for
 * `steadyMs` since its last miss.
 */
export class RateLimiterWithFallback implements ChatRateLimiter {
  /** Redis is not asked before this moment (this process's clock). */
  private askSharedFrom = 0;
  private episode: { since: number; lastMissAt: number; misses: number } | null = null;
  private readonly timing: FallbackTiming;

  constructor(
    private readonly shared: ChatRateLimiter,
    private readonly local: LocalChatRateLimiter,
    /** False while the shared limiter is known to be unreachable, to skip asking it. */
    private readonly sharedReachable: () => boolean,
    private readonly logger: Logger,
    timing: Partial<FallbackTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
  }

  /** A booked slot's `slotAt` is on this process's clock: the local booking's. */
  async reserve(chatId: string, maxWaitMs: number): Promise<RateLimitDecision> {
    if (Date.now() < this.askSharedFrom) return this.local.reserve(chatId, maxWaitMs);
    let decision: RateLimitDecision;
    try {
      if (!this.sharedReachable()) throw new Error("Redis is not connected");
      decision = await withTimeout(this.shared.reserve(chatId, maxWaitMs), this.timing.answerTimeoutMs);
    } catch (error) {
      this.missed(error);
      return this.local.reserve(chatId, maxWaitMs);
    }
    this.answeredInTime();
    if (!decision.reserved) return decision;
    // The slot booked in Redis goes unused when it clashes with this process's own: conservative.
    return this.local.reserve(
      chatId,
      Math.max(maxWaitMs, decision.waitMs + FOLLOW_TOLERANCE_MS),
      decision.waitMs,
    );
  }

  private missed(error: unknown): void {
    const now = Date.now();
    this.askSharedFrom = now + this.timing.localHoldMs;
    if (this.episode) {
      this.episode.lastMissAt = now;
      this.episode.misses++;
      return;
    }
    this.episode = { since: now, lastMissAt: now, misses: 1 };
    this.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "Telegram pacing falls back to this process's own limits until Redis answers again",
    );
  }

  private answeredInTime(): void {
    const episode = this.episode;
    if (!episode || Date.now() - episode.lastMissAt < this.timing.steadyMs) return;
    this.episode = null;
    this.logger.info(
      { since: new Date(episode.since).toISOString(), lateOrFailedAnswers: episode.misses },
      "Telegram pacing is shared through Redis again",
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
