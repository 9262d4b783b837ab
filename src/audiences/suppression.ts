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

export type NewSuppression = Omit<Suppression, "id" | "createdAt">;

export interface SuppressionFilter {
  channel?: Channel;
  address?: string;
  /** Any of these (channel, address) pairs: a user's addresses. */
  addresses?: { channel: Channel; address: string }[];
}
