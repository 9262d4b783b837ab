/** Normalises and checks the ways a recipient can be reached. */
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * Any spacing, dashes or brackets a person typed become E.164 (+79990001122). Numbers without a
 * country code are read as numbers of `defaultRegion`. Returns null for anything that is not a
 * valid phone number.
 */
export function normalizePhoneNumber(input: string, defaultRegion: string): string | null {
  if (!/^[\d\s()+.-]+$/.test(input.trim())) return null;
  const parsed = parsePhoneNumberFromString(input.trim(), defaultRegion as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** A Telegram chat id: digits, with a leading minus for groups and channels. */
export function isTelegramChatId(value: string): boolean {
  return /^-?\d{1,20}$/.test(value);
}

// Deliberately modest: the SMTP server is the real judge; this catches typos and junk early.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}
