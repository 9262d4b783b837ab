import { ConfigError, type EnvReader } from "../../env-reader.js";
import type { ChannelDefinition } from "../channel-definition.js";
import { TelegramProvider } from "./telegram-provider.js";

export interface TelegramConfig {
  apiUrl: string;
  botToken: string;
  /** Serves users who have no telegram_id of their own. */
  defaultChatId: string | null;
  /** Telegram's flood limits, kept by all workers together. */
  perChatPerSecond: number;
  globalPerSecond: number;
  /** Connect links (TELEGRAM_LINKS=true); null while they are off, the default. */
  links: TelegramLinksConfig | null;
}

export interface TelegramLinksConfig {
  /** How long a link works after it is made (TELEGRAM_LINK_TTL_SECONDS). */
  ttlSeconds: number;
  /** What the bot answers a person whose link worked (TELEGRAM_LINK_WELCOME). */
  welcomeText: string;
}

export const DEFAULT_LINK_WELCOME =
  "You are connected: notifications will reach you here. You can close this chat.";

export const telegramChannel: ChannelDefinition<TelegramConfig> = {
  channel: "telegram",
  vendor: "Telegram Bot API",
  readSettings(read) {
    const apiUrl = read.url("TELEGRAM_API_URL", "https://api.telegram.org", ["http:", "https:"]);
    const defaultChatId = read.optional("TELEGRAM_CHAT_ID") ?? null;
    if (defaultChatId !== null && !/^-?\d{1,20}$/.test(defaultChatId)) {
      throw new ConfigError(
        "TELEGRAM_CHAT_ID must be a numeric chat id (digits, with a leading minus for groups)",
      );
    }
    const perChatPerSecond = read.number("TELEGRAM_PER_CHAT_PER_SECOND", 1, { min: 0.01, max: 1000 });
    const globalPerSecond = read.number("TELEGRAM_GLOBAL_PER_SECOND", 30, { min: 0.01, max: 100_000 });
    const links = readLinks(read);
    const botToken = read.optional("TELEGRAM_BOT_TOKEN");
    if (!botToken) {
      if (links)
        throw new ConfigError("TELEGRAM_LINKS=true needs TELEGRAM_BOT_TOKEN: the links open that bot");
      return null;
    }
    // Checked without echoing the value: a token is a secret.
    if (!/^\d+:[A-Za-z0-9_-]+$/.test(botToken)) {
      throw new ConfigError(
        "TELEGRAM_BOT_TOKEN does not look like a bot token (expected <digits>:<letters>)",
      );
    }
    return { apiUrl, botToken, defaultChatId, perChatPerSecond, globalPerSecond, links };
  },
  notConfiguredReason: "Telegram is not configured (TELEGRAM_BOT_TOKEN is not set)",
  secretsOf: (settings) => [settings.botToken],
  addressOf: (recipient, settings) => recipient.telegramId ?? settings?.defaultChatId ?? null,
  fallbackAddressOf: (settings) => settings.defaultChatId,
  noContactReason: () => "the user has no telegram_id and TELEGRAM_CHAT_ID is not set",
  createProvider: (settings, context) =>
    new TelegramProvider(settings, { rateLimiter: context.telegramRateLimiter ?? null }),
};

function readLinks(read: EnvReader): TelegramLinksConfig | null {
  const ttlSeconds = read.integer("TELEGRAM_LINK_TTL_SECONDS", 86_400, { min: 60, max: 30 * 86_400 });
  const welcomeText = read.string("TELEGRAM_LINK_WELCOME", DEFAULT_LINK_WELCOME);
  if (welcomeText.length > 4096) {
    throw new ConfigError("TELEGRAM_LINK_WELCOME must be at most 4096 characters (one Telegram message)");
  }
  return read.boolean("TELEGRAM_LINKS", false) ? { ttlSeconds, welcomeText } : null;
}
