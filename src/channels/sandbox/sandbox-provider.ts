import type { Config } from "../../config.js";
import { CHANNELS, type Channel, type Recipient } from "../../core/model.js";
import { type DeliveryOutcome, sent, transient } from "../../core/outcome.js";
import type { ChannelProvider, OutgoingMessage } from "../channel.js";

/** Where sandboxed messages go; the PostgreSQL outbox repository is one. */
export interface Outbox {
  add(entry: {
    notificationId: number;
    channel: Channel;
    to: string;
    subject: string | null;
    text: string;
  }): Promise<{ id: number }>;
}

/**
 * Stands in for a channel's real provider (DELIVERY_SANDBOX): the message is written to the
 * outbox instead of being sent, and the attempt is recorded as sent with the outbox row's id.
 * Recipients are addressed as the real provider would address them, so a user without a contact
 * on the channel is still skipped.
 */
export class SandboxProvider implements ChannelProvider {
  readonly vendor: string;

  constructor(
    readonly channel: Channel,
    private readonly outbox: Outbox,
    private readonly telegramDefaultChatId: string | null = null,
  ) {
    this.vendor = `sandbox outbox (${channel})`;
  }

  addressOf(recipient: Recipient): string | null {
    switch (this.channel) {
      case "sms":
        return recipient.phoneNumber;
      case "email":
        return recipient.email || null;
      case "telegram":
        return recipient.telegramId ?? this.telegramDefaultChatId;
    }
  }

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryOutcome> {
    if (signal.aborted) return transient(`${this.vendor}: aborted before writing`);
    try {
      const entry = await this.outbox.add({
        notificationId: message.notificationId,
        channel: this.channel,
        to: message.to,
        subject: this.channel === "email" ? (message.subject ?? "Notification") : null,
        text: message.text,
      });
      return sent(`sandbox-${entry.id}`);
    } catch (error) {
      return transient(`${this.vendor}: could not write (${error instanceof Error ? error.message : error})`);
    }
  }
}

/** A sandbox provider for every channel, replacing whatever providers the configuration has. */
export function buildSandboxProviders(config: Config, outbox: Outbox): Map<Channel, ChannelProvider> {
  return new Map(
    CHANNELS.map((channel) => [
      channel,
      new SandboxProvider(channel, outbox, config.telegram?.defaultChatId ?? null),
    ]),
  );
}
