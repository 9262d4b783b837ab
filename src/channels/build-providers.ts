/**
 * Builds one provider per configured channel, and closes them again. Channels whose config is
 * null are left out; Config.missingChannels says why.
 */
import type { ConnectionOptions } from "node:tls";
import type { Config } from "../config.js";
import type { Channel } from "../core/model.js";
import type { ChannelProvider } from "./channel.js";
import { SmsRuProvider } from "./sms-ru/sms-ru-provider.js";
import { SmtpProvider } from "./smtp/smtp-provider.js";
import { TelegramProvider } from "./telegram/telegram-provider.js";
import type { ChatRateLimiter } from "./telegram/telegram-rate-limit.js";

export interface BuildProvidersOptions {
  /** Paces Telegram sends (see side-channels.ts); without it Telegram is not paced. */
  telegramRateLimiter?: ChatRateLimiter | null;
  /** Extra TLS options for SMTP, e.g. to trust a test server's self-signed certificate. */
  smtpTls?: ConnectionOptions;
}

export type Providers = Map<Channel, ChannelProvider>;

export function buildProviders(config: Config, options: BuildProvidersOptions = {}): Providers {
  const providers: Providers = new Map();
  if (config.sms) providers.set("sms", new SmsRuProvider(config.sms));
  if (config.email) {
    providers.set("email", new SmtpProvider(config.email, options.smtpTls ? { tls: options.smtpTls } : {}));
  }
  if (config.telegram) {
    const rateLimiter = options.telegramRateLimiter ?? null;
    providers.set("telegram", new TelegramProvider(config.telegram, { rateLimiter }));
  }
  return providers;
}

/** Closes every provider, even when one of them fails to close; the first failure is rethrown. */
export async function closeProviders(providers: Providers): Promise<void> {
  const results = await Promise.allSettled([...providers.values()].map((provider) => provider.close?.()));
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}
