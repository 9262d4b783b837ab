/**
 * Telegram's flood limits, shared by every worker process through Redis: about one message per
 * second to a chat and about 30 per second overall (https://core.telegram.org/bots/faq, "My bot
 * is hitting limits"). Going over them earns 429s with retry_after, so we pace ourselves first.
 *
 * Each key holds the earliest moment (Redis server clock, ms) the next message may go: one key
 * per chat, one for the bot. A Lua script reads both and, when the wait is acceptable to the
 * caller, books the slot and moves both moments on, all atomically, so two workers can never
 * take the same slot. A booked slot is the caller's: it waits `waitMs` and sends without asking
 * again. When the wait is longer than the caller accepts, nothing is booked.
 */
import type { Redis } from "ioredis";

export interface RateLimitDecision {
  /** True when the slot is booked: send after waitMs. False: nothing booked, come back later. */
  reserved: boolean;
  waitMs: number;
  /** When the slot is, on Redis' clock (ms since the epoch): what the spacing is kept on. */
  slotAt?: number;
}

/** What the Telegram provider needs from a limiter, so tests can pass their own. */
export interface ChatRateLimiter {
  reserve(chatId: string, maxWaitMs: number): Promise<RateLimitDecision>;
}

export interface TelegramRateLimits {
  perChatPerSecond?: number;
  globalPerSecond?: number;
}

export interface TelegramRateLimiterOptions extends TelegramRateLimits {
  /** Every key starts with this, e.g. "notification-service:telegram-rate". */
  keyPrefix: string;
}

// KEYS: chat key, global key. ARGV: chat interval ms, global interval ms, longest acceptable wait ms.
const RESERVE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local chatInterval = tonumber(ARGV[1])
local globalInterval = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0'))
local wait = math.ceil(at - now)
if wait > maxWait then
  return {0, wait, at}
end
redis.call('SET', KEYS[1], at + chatInterval, 'PX', math.ceil(at + chatInterval - now))
redis.call('SET', KEYS[2], at + globalInterval, 'PX', math.ceil(at + globalInterval - now))
return {1, wait, at}
`;

export class TelegramRateLimiter implements ChatRateLimiter {
  private readonly chatIntervalMs: number;
  private readonly globalIntervalMs: number;

  constructor(
    private readonly redis: Pick<Redis, "eval">,
    private readonly options: TelegramRateLimiterOptions,
  ) {
    this.chatIntervalMs = intervalMs("perChatPerSecond", options.perChatPerSecond ?? 1);
    this.globalIntervalMs = intervalMs("globalPerSecond", options.globalPerSecond ?? 30);
  }

  async reserve(chatId: string, maxWaitMs: number): Promise<RateLimitDecision> {
    // Redis reads a Lua number argument; "inf" would not parse, so cap an unbounded wait.
    const maxWait = Number.isFinite(maxWaitMs) ? Math.max(0, Math.floor(maxWaitMs)) : Number.MAX_SAFE_INTEGER;
    const reply = await this.redis.eval(
      RESERVE_SCRIPT,
      2,
      `${this.options.keyPrefix}:chat:${chatId}`,
      `${this.options.keyPrefix}:global`,
      this.chatIntervalMs,
      this.globalIntervalMs,
      maxWait,
    );
    const [reserved, waitMs, slotAt] = Array.isArray(reply) ? reply.map(Number) : [];
    if (reserved === undefined || waitMs === undefined || slotAt === undefined || Number.isNaN(waitMs)) {
      throw new Error(`unexpected reply from the rate limit script: ${JSON.stringify(reply)}`);
    }
    return { reserved: reserved === 1, waitMs, slotAt };
  }
}

function intervalMs(name: string, perSecond: number): number {
  if (!(Number.isFinite(perSecond) && perSecond > 0)) throw new RangeError(`${name} must be above 0`);
  return 1000 / perSecond;
}
