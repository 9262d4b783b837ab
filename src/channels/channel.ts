import type { Channel, Recipient } from "../core/model.js";
import type { DeliveryOutcome } from "../core/outcome.js";

export interface OutgoingMessage {
  /** The address on this channel: an E.164 number, an email address or a Telegram chat id. */
  to: string;
  text: string;
  /** Used by email; other channels ignore it. */
  subject: string | null;
  /** Email only: an HTML alternative to `text` (from a template). */
  html?: string | null;
  /** Telegram only: "HTML" when `text` is Telegram HTML (from a template). */
  parseMode?: "HTML" | null;
  /** For logs and idempotency keys on the provider side; never shown to the recipient. */
  notificationId: number;
  /**
   * The details of this notification's last failed attempt on this channel, when it left any: a
   * provider that can carry on where that attempt stopped does (Telegram skips the parts of a
   * split text that already went), so a retry does not send them twice.
   */
  previousAttempt?: Record<string, unknown> | null;
  /**
   * Email only: the recipient's one-click unsubscribe link for this message's category, sent as
   * List-Unsubscribe with List-Unsubscribe-Post (RFC 8058); null or absent: no such headers.
   */
  unsubscribeUrl?: string | null;
}

/**
 * One delivery channel backed by one vendor. `send` never throws for anything the vendor or the
 * network does: it resolves to an outcome. It must stop work when `signal` aborts (the caller's
 * timeout) and never put a secret (token, api_id, password) in the outcome's reason.
 */
export interface ChannelProvider {
  readonly channel: Channel;
  /** The vendor, for people: "SMS.ru", "SMTP", "Telegram Bot API". */
  readonly vendor: string;
  send(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryOutcome>;
  /**
   * Present when the vendor's client can only carry so many calls at once: the worker takes a
   * turn before it starts the attempt (and the provider's timeout), and gives it back after.
   */
  admit?(): Promise<() => void>;
  /** Present when the vendor tells what became of an accepted message (SMS.ru's sms/status). */
  readonly receipts?: ReceiptSource;
  close?(): Promise<void>;
}

/** What a vendor said about one accepted message. */
export interface ReceiptReport {
  providerMessageId: string;
  /** `in_transit`: not final yet (queued, on its way, or not known to the vendor yet). */
  state: "in_transit" | "delivered" | "undelivered";
  code: string | null;
  text: string | null;
}

/** Asks a vendor about many accepted messages in one call. */
export interface ReceiptSource {
  /** At most this many message ids per call. */
  readonly maxBatch: number;
  /** A report per id the vendor answered for, or why the whole call failed (free of secrets). */
  check(
    providerMessageIds: readonly string[],
    signal: AbortSignal,
  ): Promise<ReceiptReport[] | { failure: string }>;
}

/**
 * Whom each channel can reach, from the channel definitions and their settings: a recipient's
 * address on a channel, or why there is none. Addressing is the same whether the real provider
 * or the sandbox sends.
 */
export interface ChannelAddressing {
  addressOf(channel: Channel, recipient: Recipient): string | null;
  /** Whether that address is the channel's fallback (TELEGRAM_CHAT_ID), the recipient having none. */
  isFallbackFor(channel: Channel, recipient: Recipient): boolean;
  noContactReason(channel: Channel): string;
}
