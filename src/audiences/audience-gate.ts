/**
 * Whether the recipient's preferences or a suppression keep a channel from carrying a
 * notification, decided in memory from what the claim read (no query of its own). Suppressions
 * always hold; preferences give way to critical notifications.
 */
import type { Channel, Priority, RecipientAudience } from "../core/model.js";
import { bypassesPreferences, turnedOffBy } from "./preferences.js";

export interface AudienceSkip {
  cause: "suppressed" | "preference";
  reason: string;
}

export function audienceSkip(
  channel: Channel,
  notification: { priority: Priority; category: string | null },
  audience: RecipientAudience,
  criticalCategories: ReadonlySet<string>,
  /** Whether the address is the channel's fallback (TELEGRAM_CHAT_ID), not the user's own. */
  addressIsFallback: () => boolean = () => false,
): AudienceSkip | null {
  if (audience.suppressedChannels.includes(channel)) {
    return {
      cause: "suppressed",
      reason: addressIsFallback()
        ? `the ${channel} fallback address, used for users without one of their own, is suppressed`
        : `the user's ${channel} address is suppressed`,
    };
  }
  if (bypassesPreferences(notification, criticalCategories)) return null;
  const turnedOff = turnedOffBy(audience.preferences, channel, notification.category);
  if (turnedOff === "channel") {
    return { cause: "preference", reason: `the user turned ${channel} off in their preferences` };
  }
  if (turnedOff === "category") {
    return {
      cause: "preference",
      reason: `the user turned ${channel} off for ${JSON.stringify(notification.category)} in their preferences`,
    };
  }
  return null;
}

/**
 * Whether an email of this notification carries an unsubscribe link: only for a category the
 * user can turn off (a critical one bypasses preferences, so unsubscribing would change nothing).
 */
export function offersUnsubscribe(
  notification: { priority: Priority; category: string | null },
  criticalCategories: ReadonlySet<string>,
): notification is { priority: Priority; category: string } {
  return notification.category !== null && !bypassesPreferences(notification, criticalCategories);
}

/** Makes a recipient's one-click unsubscribe link (UnsubscribeLinks; absent without PUBLIC_URL). */
export interface UnsubscribeLinkMaker {
  linkFor(userId: number, category: string): string;
}

/**
 * The one-click unsubscribe link of a notification to `userId`, the same for an email's
 * List-Unsubscribe header and a template's `unsubscribe_url`, whoever created the notification
 * (the API, a broadcast's fan-out): null without PUBLIC_URL, without a category, or for a critical
 * one. An HMAC, no query.
 */
export function unsubscribeUrlOf(
  links: UnsubscribeLinkMaker | null | undefined,
  criticalCategories: ReadonlySet<string>,
  userId: number,
  notification: { priority: Priority; category: string | null },
): string | null {
  return links && offersUnsubscribe(notification, criticalCategories)
    ? links.linkFor(userId, notification.category)
    : null;
}
