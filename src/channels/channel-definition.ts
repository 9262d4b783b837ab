import type { ConnectionOptions } from "node:tls";
import type { Channel, Recipient } from "../core/model.js";
import type { EnvReader } from "../env-reader.js";
import type { ChannelProvider } from "./channel.js";
import type { ChatRateLimiter } from "./telegram/telegram-rate-limit.js";

/** What building a provider may use besides its own settings. */
export interface ProviderContext {
  /** Telegram's pacing, shared by all workers (or per process without Redis). */
  telegramRateLimiter?: ChatRateLimiter | null;
  /** Extra TLS options for SMTP, e.g. to trust a test server's self-signed certificate. */
  smtpTls?: ConnectionOptions;
}

/**
 * Everything the rest of the service needs to know about one channel's vendor, kept in the
 * vendor's folder: how it is configured (and which of those values are secrets, so logs and
 * errors never show them), whom it can reach and why not, and how to build its provider. Adding
 * a vendor means a folder with one of these, an entry in channels.ts, and its tests.
 */
export interface ChannelDefinition<Settings> {
  channel: Channel;
  /** The vendor, for people: "SMS.ru", "SMTP", "Telegram Bot API". */
  vendor: string;
  /** Reads and checks its variables; null when the channel is not configured at all. */
  readSettings(read: EnvReader): Settings | null;
  /** Why the channel is off when readSettings gave null, naming the variable to set. */
  notConfiguredReason: string;
  /** The values of its settings that must never appear in a log line, an error or an attempt. */
  secretsOf(settings: Settings): (string | null)[];
  /** The recipient's address on this channel, or null; settings may offer a fallback address. */
  addressOf(recipient: Recipient, settings: Settings | null): string | null;
  /**
   * The fallback address addressOf gives a recipient without one of their own, if the settings
   * have one (Telegram's TELEGRAM_CHAT_ID): suppressions are looked up for it too.
   */
  fallbackAddressOf?(settings: Settings): string | null;
  /** Why a recipient without an address on this channel is skipped. */
  noContactReason(settings: Settings | null): string;
  createProvider(settings: Settings, context: ProviderContext): ChannelProvider;
}
