/**
 * Builds one provider per configured channel from the channel definitions, and closes them again.
 * Channels whose settings are null are left out; Config.missingChannels says why.
 */
import type { ConnectionOptions } from "node:tls";
import type { Config } from "../config.js";
import type { Channel } from "../core/model.js";
import type { ChannelAddressing, ChannelProvider } from "./channel.js";
import { configuredChannels } from "./channels.js";
import type { ChatRateLimiter } from "./telegram/telegram-rate-limit.js";

export interface BuildProvidersOptions {
  /** Paces Telegram sends (see side-channels.ts); without it Telegram is not paced. */
  telegramRateLimiter?: ChatRateLimiter | null;
  /** Extra TLS options for SMTP, e.g. to trust a test server's self-signed certificate. */
  smtpTls?: ConnectionOptions;
}

export type Providers = Map<Channel, ChannelProvider>;

export function buildProviders(config: Config, options: BuildProvidersOptions = {}): Providers {
  const context = { telegramRateLimiter: options.telegramRateLimiter ?? null, smtpTls: options.smtpTls };
  const providers: Providers = new Map();
  for (const { channel, definition, settings } of configuredChannels(config)) {
    if (settings !== null) providers.set(channel, definition.createProvider(settings, context));
  }
  return providers;
}

/** Each channel's addressing, with the settings configured for it (a fallback chat id, say). */
export function channelAddressing(config: Config): ChannelAddressing {
  const byChannel = new Map(configuredChannels(config).map((bound) => [bound.channel, bound]));
  const bound = (channel: Channel) => byChannel.get(channel)!;
  return {
    addressOf: (channel, recipient) =>
      bound(channel).definition.addressOf(recipient, bound(channel).settings),
    // Without settings a definition answers with the recipient's own address only.
    isFallbackFor: (channel, recipient) =>
      bound(channel).definition.addressOf(recipient, null) === null &&
      bound(channel).definition.addressOf(recipient, bound(channel).settings) !== null,
    noContactReason: (channel) => bound(channel).definition.noContactReason(bound(channel).settings),
  };
}

/**
 * The address each configured channel falls back to for a recipient without one of their own
 * (TELEGRAM_CHAT_ID): the claim looks suppressions up for it too.
 */
export function fallbackAddresses(config: Config): Partial<Record<Channel, string>> {
  const fallbacks: Partial<Record<Channel, string>> = {};
  for (const { channel, definition, settings } of configuredChannels(config)) {
    const address = settings === null ? null : (definition.fallbackAddressOf?.(settings) ?? null);
    if (address !== null) fallbacks[channel] = address;
  }
  return fallbacks;
}

/** Every configured secret of every channel, for the log redactor. */
export function channelSecrets(config: Config): string[] {
  return configuredChannels(config)
    .flatMap(({ definition, settings }) => (settings === null ? [] : definition.secretsOf(settings)))
    .filter((secret): secret is string => typeof secret === "string");
}

/** Closes every provider, even when one of them fails to close; the first failure is rethrown. */
export async function closeProviders(providers: Providers): Promise<void> {
  const results = await Promise.allSettled([...providers.values()].map((provider) => provider.close?.()));
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}
