import { createHash, randomBytes } from "node:crypto";

const KEY_PREFIX = "nsk_";

/** A new key: 192 random bits, so a plain SHA-256 is a safe way to store it (no salt or slow hash needed). */
export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** What may be shown of a key: enough to tell keys apart, far too little to use. */
export function displayPrefix(key: string): string {
  return `${key.slice(0, KEY_PREFIX.length + 6)}…`;
}
