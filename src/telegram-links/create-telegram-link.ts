/**
 * Makes a Telegram connect link for a user: a single-use code, stored only as its hash, in a
 * t.me link that opens the bot with it. When the person presses Start, the worker that polls the
 * bot's updates sets the user's telegram_id to their chat (handle-telegram-updates.ts).
 */
import { ConflictError, UnavailableError, userNotFound } from "../core/errors.js";
import type { UserReader } from "../usecases/ports.js";
import type { BotUsername } from "./bot-username.js";
import { hashLinkCode, linkUrl, newLinkCode } from "./link-codes.js";
import type { TelegramLinksRepository } from "./telegram-links-repository.js";

/** Links on: what making one needs. Off: why not, naming what to set. */
export type TelegramLinkIssuing =
  | { enabled: true; ttlSeconds: number; botUsername: BotUsername }
  | { enabled: false; reason: string };

export interface CreateTelegramLinkDeps {
  users: UserReader;
  telegramLinks: Pick<TelegramLinksRepository, "create">;
  telegramLinkIssuing: TelegramLinkIssuing;
}

export interface TelegramLink {
  url: string;
  code: string;
  expiresAt: Date;
}

export async function createTelegramLink(
  deps: CreateTelegramLinkDeps,
  userId: number,
): Promise<TelegramLink> {
  // The user first: an unknown one is a 404 whether or not links are on, as for every other route.
  if (!(await deps.users.findById(userId))) throw userNotFound(userId);
  const issuing = deps.telegramLinkIssuing;
  if (!issuing.enabled) throw new ConflictError(issuing.reason);
  const bot = await issuing.botUsername.get();
  if (!bot.ok) {
    throw new UnavailableError(
      `Telegram did not tell the bot's username (getMe: ${bot.description}); try again shortly.`,
    );
  }
  const code = newLinkCode();
  // A user erased since the read above: the insert finds nobody.
  const stored = await deps.telegramLinks.create(userId, hashLinkCode(code), issuing.ttlSeconds);
  if (!stored) throw userNotFound(userId);
  return { url: linkUrl(bot.result.username, code), code, expiresAt: stored.expiresAt };
}
