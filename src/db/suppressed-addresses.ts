/**
 * The SQL that tells which of a user's addresses are suppressed, for statements on `users`:
 * one probe of the unique (channel, address) index per contact the user has. Email addresses
 * are suppressed in lower case (see audiences/suppression-address.ts).
 */
export const SUPPRESSED_CHANNELS_OF_USERS = `ARRAY(SELECT s.channel FROM suppressions s
                WHERE (s.channel, s.address) IN (('email', lower(users.email)), ('sms', users.phone_number),
                                                 ('telegram', users.telegram_id)))`;
