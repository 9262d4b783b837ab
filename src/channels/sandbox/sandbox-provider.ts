import { CHANNELS, type Channel } from "../../core/model.js";
import { type DeliveryOutcome, delivered, transient } from "../../core/outcome.js";
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
 * Recipients are addressed by the channel definitions as for the real provider, so a user without
 * a contact on the channel is still skipped.
 */
export class SandboxProvider implements ChannelProvider {
  readonly vendor: string;

  constructor(
    readonly channel: Channel,
    private readonly outbox: Outbox,
  ) {
    this.vendor = `sandbox outbox (${channel})`;
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
      // The outbox is where a sandboxed message ends: it is there, nothing more will be known.
      return delivered(`sandbox-${entry.id}`);
    } catch (error) {
      return transient(`${this.vendor}: could not write (${error instanceof Error ? error.message : error})`);
    }
  }
}

/** A sandbox provider for every channel, replacing whatever providers the configuration has. */
export function buildSandboxProviders(outbox: Outbox): Map<Channel, ChannelProvider> {
  return new Map(CHANNELS.map((channel) => [channel, new SandboxProvider(channel, outbox)]));
}
