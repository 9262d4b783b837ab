import type { ChatRateLimiter, RateLimitDecision } from "../channels/telegram/telegram-rate-limit.js";

/**
 * Telegram's flood limits kept by this process alone: the same booking as the Redis script (the
 * earliest moment per chat and for the bot, a slot booked only when the wait is acceptable), on
 * this process's clock. Used without Redis, and while Redis is away, so that one process never
 * sends faster than the limits even then.
 */
export class InProcessChatRateLimiter implements ChatRateLimiter {
  private readonly chatIntervalMs: number;
  private readonly globalIntervalMs: number;
  private readonly nextForChat = new Map<string, number>();
  private nextGlobal = 0;

  constructor(
    limits: { perChatPerSecond: number; globalPerSecond: number },
    private readonly now: () => number = Date.now,
  ) {
    this.chatIntervalMs = 1000 / limits.perChatPerSecond;
    this.globalIntervalMs = 1000 / limits.globalPerSecond;
  }

  /** `minWaitMs`: the slot is no sooner than this from now (one booked elsewhere, followed here). */
  async reserve(chatId: string, maxWaitMs: number, minWaitMs = 0): Promise<RateLimitDecision> {
    const now = this.now();
    this.forgetPast(now);
    const at = Math.max(now + minWaitMs, this.nextForChat.get(chatId) ?? 0, this.nextGlobal);
    const waitMs = Math.ceil(at - now);
    if (waitMs > maxWaitMs) return { reserved: false, waitMs, slotAt: at };
    this.nextForChat.set(chatId, at + this.chatIntervalMs);
    this.nextGlobal = at + this.globalIntervalMs;
    return { reserved: true, waitMs, slotAt: at };
  }

  /** Chats whose next moment has passed hold nothing worth keeping (like the keys' expiry in Redis). */
  private forgetPast(now: number): void {
    if (this.nextForChat.size < 1024) return;
    for (const [chat, next] of this.nextForChat) if (next <= now) this.nextForChat.delete(chat);
  }
}
