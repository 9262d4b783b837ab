/**
 * GET /api/users/ finds a recipient by phone number or Telegram chat id, as a backend that knows
 * its own user but lost our id does (the email already has its unique index on lower(email)).
 * Only users who have the contact are in each index, and only user writes pay for them: the
 * notification path never touches users.
 */
export const recipientLookups = {
  name: "020-recipient-lookups",
  sql: `
CREATE INDEX users_by_phone_number ON users (phone_number) WHERE phone_number IS NOT NULL;
CREATE INDEX users_by_telegram_id ON users (telegram_id) WHERE telegram_id IS NOT NULL;
`,
};
