/** A suppressed address: nothing is sent to it on its channel, for any user, until it is removed. */
import type { Channel, SuppressionReason } from "../core/model.js";

/** Who suppressed it: the worker on a provider's reply that proved it dead, or a person. */
export type SuppressionSource = "delivery" | "api" | "cli";

export interface Suppression {
  id: number;
  channel: Channel;
  /** Normalised: E.164, lower-case email, a chat id (see suppression-address.ts). */
  address: string;
  reason: SuppressionReason;
  source: SuppressionSource;
  /**
   * What proved it: for the worker's, the provider's code and text, the notification and the
   * attempt; for one added by hand, the note given, if any.
   */
  evidence: Record<string, unknown> | null;
  createdAt: Date;
}

/**
 * The most characters a suppression's address and note take when one is added by hand: declared by
 * the HTTP schema and checked again by the use case for the command line, in the same words.
 */
export const SUPPRESSION_LIMITS = { address: 254, note: 500 } as const;

export type NewSuppression = Omit<Suppression, "id" | "createdAt">;

export interface SuppressionFilter {
  channel?: Channel;
  address?: string;
  /** Any of these (channel, address) pairs: a user's addresses. */
  addresses?: { channel: Channel; address: string }[];
}
