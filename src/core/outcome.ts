/**
 * What one provider call can end as. Providers translate their vendor's reply into exactly one
 * of these; only the delivery policy decides what happens next.
 */
export type DeliveryOutcome =
  | SentOutcome
  | TransientOutcome
  | RateLimitedOutcome
  | PermanentOutcome
  | MisconfiguredOutcome;

export interface SentOutcome {
  kind: "sent";
  /** The provider's id for the message (SMS.ru sms_id, Telegram message_id, SMTP Message-ID). */
  providerMessageId: string | null;
  /** Extra facts worth keeping, e.g. the SMS.ru balance after sending. */
  details?: Record<string, unknown>;
  /**
   * The provider's answer already means the recipient has it (Telegram: the message is in the
   * chat). Otherwise it is only accepted, and a receipt may follow.
   */
  delivered?: boolean;
}

interface FailureBase {
  /** The provider's own code as text (SMS.ru status_code, Telegram error_code, SMTP reply code). */
  code: string | null;
  /** A readable reason, free of secrets. */
  reason: string;
  /**
   * What the call did get done before failing, for the next attempt on this channel (Telegram:
   * the parts of a split text that went). Kept with the attempt.
   */
  details?: Record<string, unknown>;
}

/** Worth retrying later: network errors, timeouts, provider 5xx. */
export interface TransientOutcome extends FailureBase {
  kind: "transient";
}

/** The provider asked us to slow down; retry no sooner than retryAfterSeconds. */
export interface RateLimitedOutcome extends FailureBase {
  kind: "rate_limited";
  retryAfterSeconds: number;
}

/** No retry on this channel will help this recipient (blocked bot, invalid number, mailbox rejected). */
export interface PermanentOutcome extends FailureBase {
  kind: "permanent";
  /**
   * Set when the reply proves the address itself can never receive (the bot was blocked, the
   * mailbox does not exist, the number is wrong): the address is then suppressed for everyone.
   */
  deadAddress?: DeadAddressReason;
}

export type DeadAddressReason = "bot_blocked" | "hard_bounce" | "invalid_number";

/** Our account or settings are wrong (bad credentials, no money, sender not approved). */
export interface MisconfiguredOutcome extends FailureBase {
  kind: "misconfigured";
}

export type FailureOutcome = Exclude<DeliveryOutcome, SentOutcome>;
export type FailureKind = FailureOutcome["kind"];

export const transient = (reason: string, code: string | null = null): TransientOutcome => ({
  kind: "transient",
  code,
  reason,
});
export const permanent = (
  reason: string,
  code: string | null = null,
  deadAddress?: DeadAddressReason,
): PermanentOutcome =>
  deadAddress ? { kind: "permanent", code, reason, deadAddress } : { kind: "permanent", code, reason };
export const misconfigured = (reason: string, code: string | null = null): MisconfiguredOutcome => ({
  kind: "misconfigured",
  code,
  reason,
});
export const rateLimited = (
  reason: string,
  retryAfterSeconds: number,
  code: string | null = null,
): RateLimitedOutcome => ({ kind: "rate_limited", code, reason, retryAfterSeconds });
export const sent = (providerMessageId: string | null, details?: Record<string, unknown>): SentOutcome =>
  details ? { kind: "sent", providerMessageId, details } : { kind: "sent", providerMessageId };
/** A send whose success already means the recipient has the message (no receipt will add to it). */
export const delivered = (
  providerMessageId: string | null,
  details?: Record<string, unknown>,
): SentOutcome => ({
  ...sent(providerMessageId, details),
  delivered: true,
});
