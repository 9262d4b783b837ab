/**
 * The codes of Telegram connect links. A code travels as the start parameter of
 * t.me/<bot>?start=<code>, which Telegram limits to 64 characters of A-Z, a-z, 0-9, _ and -:
 * 24 random bytes in base64url are 32 of those, 192 bits, so a plain SHA-256 is a safe way to
 * store one (as for API keys). Pure.
 */
import { createHash, randomBytes } from "node:crypto";

export function newLinkCode(): string {
  return randomBytes(24).toString("base64url");
}

export function hashLinkCode(code: string): string {
  return createHash("sha256").update(code, "utf8").digest("hex");
}

export function linkUrl(botUsername: string, code: string): string {
  return `https://t.me/${botUsername}?start=${code}`;
}

/**
 * The parameter of a `/start <parameter>` message (what Telegram sends when a person opens a
 * link and presses Start), or null for any other text, `/start` alone included.
 */
export function startParameterOf(text: string | null): string | null {
  const match = /^\/start(?:@\w+)?\s+(\S+)\s*$/.exec(text ?? "");
  return match?.[1] ?? null;
}
