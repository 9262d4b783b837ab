/**
 * One spelling per address, so a suppression matches every user who has it: phone numbers in
 * E.164 as contacts are stored (core/contacts.ts), email addresses in lower case (the users table
 * is unique on lower(email) too), Telegram chat ids as digits.
 */
import { isEmailAddress, isTelegramChatId, normalizePhoneNumber } from "../core/contacts.js";
import type { Channel } from "../core/model.js";

/** The address as suppressions keep it, or null when it is no valid address on that channel. */
export function normalizeSuppressionAddress(
  channel: Channel,
  address: string,
  phoneDefaultRegion: string,
): string | null {
  const trimmed = address.trim();
  switch (channel) {
    case "sms":
      return normalizePhoneNumber(trimmed, phoneDefaultRegion);
    case "email":
      return isEmailAddress(trimmed) ? trimmed.toLowerCase() : null;
    case "telegram":
      return isTelegramChatId(trimmed) ? trimmed : null;
  }
}

/** The address a delivery went to, as suppressions keep it (it was normalised when the user was saved). */
export function suppressionAddressOf(channel: Channel, deliveredTo: string): string {
  return channel === "email" ? deliveredTo.trim().toLowerCase() : deliveredTo.trim();
}
