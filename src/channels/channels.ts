/**
 * The channel list: which vendor serves each channel. The one place to add a channel's vendor
 * (besides its own folder and core/model.ts's CHANNELS).
 */
import type { Config } from "../config.js";
import { CHANNELS, type Channel } from "../core/model.js";
import type { ChannelDefinition } from "./channel-definition.js";
import { smsRuChannel } from "./sms-ru/sms-ru-channel.js";
import { smtpChannel } from "./smtp/smtp-channel.js";
import { telegramChannel } from "./telegram/telegram-channel.js";

export const CHANNEL_DEFINITIONS = {
  sms: smsRuChannel,
  email: smtpChannel,
  telegram: telegramChannel,
} as const satisfies Record<Channel, AnyChannelDefinition>;

/** Any channel's definition, for code that treats them alike. */
// biome-ignore lint/suspicious/noExplicitAny: each definition has its own settings type
export type AnyChannelDefinition = ChannelDefinition<any>;

/** Each channel's definition with the settings the configuration read for it (null: not configured). */
export function configuredChannels(
  config: Pick<Config, Channel>,
): { channel: Channel; definition: AnyChannelDefinition; settings: unknown }[] {
  return CHANNELS.map((channel) => ({
    channel,
    definition: CHANNEL_DEFINITIONS[channel],
    settings: config[channel],
  }));
}
