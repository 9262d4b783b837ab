/**
 * What the bot does with the messages people send it: `/start <code>` in a private chat, the
 * message a connect link sends, connects that chat to the code's user and answers with the
 * welcome text (and webhook subscribers hear `user.telegram_connected`); a code that is unknown,
 * expired or used gets a short answer saying so. Anything
 * else is left alone. Handling an update a second time (a worker stopped before it stored the
 * offset) changes nothing and answers nothing.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { BotApiResult, BotUpdate } from "../channels/telegram/telegram-bot-api.js";
import type { ChatRateLimiter } from "../channels/telegram/telegram-rate-limit.js";
import type { Logger } from "../core/logger.js";
import type {
  NotificationEventPublisher,
  SuppressionWebhookEvents,
  UserWebhookEvents,
} from "../usecases/ports.js";
import { hashLinkCode, startParameterOf } from "./link-codes.js";
import type { TelegramLinksRepository } from "./telegram-links-repository.js";

export const INVALID_LINK_TEXT =
  "This link is not valid: it has expired or was already used. Ask for a new one where you got it.";

export interface HandleTelegramUpdatesDeps {
  telegramLinks: Pick<TelegramLinksRepository, "redeem">;
  bot: { sendMessage(chatId: string, text: string, signal: AbortSignal): Promise<BotApiResult<null>> };
  welcomeText: string;
  /** Tells webhook subscribers `user.telegram_connected`, and `suppression.deleted` for a lifted block. */
  webhooks: UserWebhookEvents & SuppressionWebhookEvents;
  /**
   * The pacing notifications to Telegram go by (shared through Redis, or this process's own while
   * Redis is away), so an answer never pushes the bot past Telegram's flood limits; null: unpaced.
   */
  rateLimiter: ChatRateLimiter | null;
  /** A reply that has not gone within this, its wait for a turn included, is given up (it is only a courtesy). */
  timeoutSeconds: number;
  logger: Logger;
  /** Told `user` `updated` for each chat connected: an open page of the user shows it. */
  notificationEvents: NotificationEventPublisher;
}

/** Handles the updates in order; a database error stops it (the batch is handled again later). */
export async function handleTelegramUpdates(
  deps: HandleTelegramUpdatesDeps,
  updates: readonly BotUpdate[],
): Promise<void> {
  for (const update of updates) {
    const message = update.message;
    if (message?.chatType !== "private") continue;
    const code = startParameterOf(message.text);
    if (code === null) continue;
    const redemption = await deps.telegramLinks.redeem(hashLinkCode(code), message.chatId, update.updateId);
    if (redemption.kind === "already_handled") continue;
    if (redemption.kind === "linked") {
      // The user's id only: the chat id is a contact, and contacts stay out of the logs.
      deps.logger.info({ userId: redemption.userId }, "user connected their Telegram chat");
      deps.notificationEvents.publish({ type: "user", id: redemption.userId, change: "updated" });
      deps.webhooks.emitForUser("user.telegram_connected", redemption.userId);
      if (redemption.lifted) {
        deps.webhooks.emitForSuppression("suppression.deleted", redemption.lifted);
        deps.notificationEvents.publish({ type: "suppression", id: redemption.lifted.id, change: "deleted" });
      }
    }
    const text = redemption.kind === "linked" ? deps.welcomeText : INVALID_LINK_TEXT;
    const deadline = Date.now() + deps.timeoutSeconds * 1000;
    if (!(await waitForTurn(deps, message.chatId, deadline))) continue;
    const sent = await deps.bot
      .sendMessage(message.chatId, text, AbortSignal.timeout(Math.max(1, deadline - Date.now())))
      .catch((error: unknown) => ({
        ok: false as const,
        errorCode: null,
        description: error instanceof Error ? error.name : "unknown error",
      }));
    if (!sent.ok) {
      deps.logger.warn(
        { errorCode: sent.errorCode, reason: sent.description },
        "could not answer a /start message in Telegram",
      );
    }
  }
}

/**
 * Books the reply a slot in Telegram's pacing and waits for it. False, with a log line, when no
 * slot comes before the deadline: the chat is connected all the same, and only the answer is
 * left out, rather than sent past the limits (a 429) or holding the poller for longer.
 */
async function waitForTurn(
  deps: HandleTelegramUpdatesDeps,
  chatId: string,
  deadline: number,
): Promise<boolean> {
  if (!deps.rateLimiter) return true;
  const decision = await deps.rateLimiter
    .reserve(chatId, Math.max(0, deadline - Date.now()))
    .catch(() => null);
  if (!decision?.reserved) {
    deps.logger.warn(
      { waitMs: decision?.waitMs ?? null },
      "did not answer a /start message in Telegram: no turn in Telegram's flood limits before the reply's timeout",
    );
    return false;
  }
  if (decision.waitMs > 0) await sleep(decision.waitMs);
  return true;
}
