/**
 * The SQL that tells which of a user's addresses are suppressed, for statements on `users`:
 * one probe of the unique (channel, address) index per address delivery would use. That is the
 * user's own contact or, without one, the channel's fallback address (TELEGRAM_CHAT_ID), given as
 * the parameters named in `fallbackParameters` (text, NULL for none). Email addresses are
 * suppressed in lower case (see audiences/suppression-address.ts).
 */
import type { Channel } from "../core/model.js";

export function suppressedChannelsOfUsers(fallbackParameters: Record<Channel, string>): string {
  const { email, sms, telegram } = fallbackParameters;
  return `ARRAY(SELECT s.channel FROM suppressions s
                WHERE (s.channel, s.address) IN (('email', lower(COALESCE(users.email, ${email}::text))),
                                                 ('sms', COALESCE(users.phone_number, ${sms}::text)),
                                                 ('telegram', COALESCE(users.telegram_id, ${telegram}::text))))`;
}
