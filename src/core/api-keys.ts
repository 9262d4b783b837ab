import * as crypto from "node:crypto";

const KEY_PREFIX = "nsk_";

/** A new key: 192 random bits, so a plain SHA-256 is a safe way to store it (no salt or slow hash needed). */
export function generateApiKey(): string {
  return `${KEY_PREFIX}${crypto.randomBytes(24).toString("base64url")}`;
}

/**
 * Every API request hashes its key, so the one-shot `crypto.hash` (Node 20.12) is used where there
 * is one: it skips building a Hash object per call. Node 20.11 still builds one.
 */
export const hashApiKey: (key: string) => string =
  typeof crypto.hash === "function"
    ? (key) => crypto.hash("sha256", key, "hex")
    : (key) => crypto.createHash("sha256").update(key, "utf8").digest("hex");

/** What may be shown of a key: enough to tell keys apart, far too little to use. */
export function displayPrefix(key: string): string {
  return `${key.slice(0, KEY_PREFIX.length + 6)}…`;
}
