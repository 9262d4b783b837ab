/**
 * Telegram through the Bot API's sendMessage. Texts over 4096 characters go as several messages
 * in order; the outcome is the first failure, or sent with the first part's message_id. A failure
 * after some parts went records them, and the next attempt carries on from the first part that
 * did not, so a retry never sends a part twice. The bot token is part of the URL path, so every
 * text that could quote the URL is redacted.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  type DeliveryOutcome,
  delivered,
  type FailureOutcome,
  rateLimited,
  transient,
} from "../../core/outcome.js";
import { abortReason } from "../abort.js";
import type { ChannelProvider, OutgoingMessage } from "../channel.js";
import { postToApi } from "../post-to-api.js";
import { redact } from "../redact.js";
import { splitMessageText } from "./split-message-text.js";
import type { TelegramConfig } from "./telegram-channel.js";
import type { ChatRateLimiter, RateLimitDecision } from "./telegram-rate-limit.js";
import { outcomeOfReply } from "./telegram-reply.js";

export interface TelegramProviderOptions {
  /** Shared pacing across workers; null sends without pacing (unit tests, a single bot user). */
  rateLimiter?: ChatRateLimiter | null;
  /**
   * The longest a worker waits for its turn before the first part. Longer waits become a
   * rate_limited outcome so the job is delayed instead of holding a worker.
   */
  maxWaitMs?: number;
}

export class TelegramProvider implements ChannelProvider {
  readonly channel = "telegram" as const;
  readonly vendor = "Telegram Bot API";
  private readonly rateLimiter: ChatRateLimiter | null;
  private readonly maxWaitMs: number;

  constructor(
    private readonly config: TelegramConfig,
    options: TelegramProviderOptions = {},
  ) {
    this.rateLimiter = options.rateLimiter ?? null;
    this.maxWaitMs = options.maxWaitMs ?? 1000;
  }

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryOutcome> {
    // An HTML text is rendered to at most one message's length (render-template.ts): splitting it
    // could cut a tag in two.
    const parts = message.parseMode ? [message.text] : splitMessageText(message.text);
    const messageIds = partsAlreadySent(message.previousAttempt, parts.length);
    const resumedAt = messageIds.length;
    for (let index = resumedAt; index < parts.length; index += 1) {
      // Later parts always wait their turn: giving up between parts would resend the first ones.
      const turn = await this.waitForTurn(
        message.to,
        index === resumedAt ? this.maxWaitMs : Number.POSITIVE_INFINITY,
        signal,
      );
      const outcome =
        turn ?? (await this.sendPart(message.to, parts[index]!, message.parseMode ?? null, signal));
      if (outcome.kind !== "sent") {
        const failure = describePart(outcome, index, parts.length);
        const progress = index > 0 ? { details: { messageIds, partCount: parts.length } } : {};
        return this.secretFree({ ...failure, ...progress });
      }
      messageIds.push(outcome.providerMessageId ?? "");
    }
    const resumed = resumedAt > 0 ? { resumedAtPart: resumedAt + 1 } : {};
    // Telegram has no delivery receipts: ok: true means the message is in the chat.
    return delivered(messageIds[0] ?? null, { messageIds, ...resumed });
  }

  private async sendPart(
    chatId: string,
    text: string,
    parseMode: "HTML" | null,
    signal: AbortSignal,
  ): Promise<DeliveryOutcome> {
    const body = parseMode ? { chat_id: chatId, text, parse_mode: parseMode } : { chat_id: chatId, text };
    const result = await postToApi(
      `${this.config.apiUrl}/bot${this.config.botToken}/sendMessage`,
      { headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
      signal,
      [this.config.botToken],
    );
    return "failure" in result ? result.failure : outcomeOfReply(result.reply);
  }

  /** Null when it is our turn now; a failure when the turn is too far off or the wait was cut. */
  private async waitForTurn(
    chatId: string,
    maxWaitMs: number,
    signal: AbortSignal,
  ): Promise<FailureOutcome | null> {
    if (!this.rateLimiter) return null;
    let decision: RateLimitDecision;
    try {
      decision = await this.rateLimiter.reserve(chatId, maxWaitMs);
    } catch (error) {
      return transient(`rate limiter unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!decision.reserved) {
      return rateLimited(
        "waiting for Telegram's flood limits",
        Math.max(1, Math.ceil(decision.waitMs / 1000)),
      );
    }
    if (decision.waitMs <= 0) return null;
    try {
      await sleep(decision.waitMs, undefined, { signal });
      return null;
    } catch {
      return transient(abortReason(signal));
    }
  }

  private secretFree(outcome: FailureOutcome): FailureOutcome {
    return { ...outcome, reason: redact(outcome.reason, [this.config.botToken]) };
  }
}

/**
 * The message ids of the parts an earlier attempt sent before it failed, when they belong to this
 * text split the same way (the split is deterministic, so the same count means the same parts).
 */
function partsAlreadySent(previousAttempt: Record<string, unknown> | null | undefined, partCount: number) {
  const ids = previousAttempt?.messageIds;
  if (previousAttempt?.partCount !== partCount || !Array.isArray(ids)) return [];
  if (ids.length === 0 || ids.length >= partCount || !ids.every((id) => typeof id === "string")) return [];
  return [...(ids as string[])];
}

/** For split texts, the reason says which part failed and how many went before it. */
function describePart(outcome: FailureOutcome, index: number, count: number): FailureOutcome {
  if (count === 1) return outcome;
  const sentBefore = index === 0 ? "none sent" : index === 1 ? "part 1 sent" : `parts 1-${index} sent`;
  return { ...outcome, reason: `part ${index + 1} of ${count} failed (${sentBefore}): ${outcome.reason}` };
}
