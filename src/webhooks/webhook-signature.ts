/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`, the key is the base64 part of the secret after
 * `whsec_`, and `webhook-signature` lists `v1,<base64 HMAC-SHA256>` once per secret in use,
 * separated by spaces (two while a rotated-out secret still signs).
 */
import { createHmac, randomBytes } from "node:crypto";

const SECRET_PREFIX = "whsec_";

/** `whsec_` + base64 of 24 random bytes (the spec asks for 24 to 64). */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString("base64")}`;
}

/** The event id receivers deduplicate on: `msg_` + 32 hex digits, stable across retries. */
export function newWebhookEventId(): string {
  return `msg_${randomBytes(16).toString("hex")}`;
}

export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    "base64",
  );
  const digest = createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return `v1,${digest}`;
}

/** The three headers of one send; `secrets` in use, newest first. */
export function webhookHeaders(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": secrets.map((secret) => signWebhook(secret, id, timestampSeconds, body)).join(" "),
  };
}
