/**
 * What the bot does with the messages people send it: `/start <code>` in a private chat, the
 * message a connect link sends, connects that chat to the code's user and answers with the
 * welcome text; a code that is unknown, expired or used gets a short answer saying so. Anything
 * else is left alone. Handling an update a second time (a worker stopped before it stored the
 * offset) changes nothing and answers nothing.
 */
import type { BotApiResult, BotUpdate } from "../channels/telegram/telegram-bot-api.js";
import type { Logger } from "../core/logger.js";
import type { NotificationEventPublisher } from "../usecases/ports.js";
import { hashLinkCode, startParameterOf } from "./link-codes.js";
import type { TelegramLinksRepository } from "./telegram-links-repository.js";

export const INVALID_LINK_TEXT =
  "This link is not valid: it has expired or was already used. Ask for a new one where you got it.";

export interface HandleTelegramUpdatesDeps {
  telegramLinks: Pick<TelegramLinksRepository, "redeem">;
  bot: { sendMessage(chatId: string, text: string, signal: AbortSignal): Promise<BotApiResult<null>> };
  welcomeText: string;
  /** A reply that has not gone within this is given up (it is only a courtesy). */
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
    }
    const text = redemption.kind === "linked" ? deps.welcomeText : INVALID_LINK_TEXT;
    const sent = await deps.bot
      .sendMessage(message.chatId, text, AbortSignal.timeout(deps.timeoutSeconds * 1000))
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
