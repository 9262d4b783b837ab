import { createHash } from "node:crypto";
import { ConflictError, ValidationError } from "../core/errors.js";
import type { StoredAttempt, StoredNotification } from "../core/model.js";
import {
  announceCreated,
  type CreateNotificationDeps,
  type CreateNotificationInput,
  createNotification,
  type NotificationRequest,
  prepareNotification,
  validateNotification,
} from "./create-notification.js";
import type { TransactionRunner } from "./ports.js";
import { getNotification, type ReadDeps } from "./read-notifications.js";

export interface IdempotentCreateDeps extends CreateNotificationDeps, ReadDeps {
  transaction: TransactionRunner;
  idempotencyTtlHours: number;
}

export interface IdempotencyScope {
  /** The API caller; keys of different callers never meet. Null when authentication is off. */
  callerId: string | null;
  /** The Idempotency-Key header as sent, or undefined without one. */
  key: string | undefined;
}

export interface CreatedNotification {
  notification: StoredNotification;
  /** Its attempts so far: none for one just created, those a replayed one has had since. */
  attempts: StoredAttempt[];
  /** True when the key had been used for this request before: nothing new was created. */
  replayed: boolean;
}

const KEY_PATTERN = /^[\x20-\x7e]+$/;
const MAX_KEY_LENGTH = 255;

/**
 * Creates a notification once per Idempotency-Key: a client that retries a request it never got
 * an answer to gets the first notification back instead of a second message to the user. The
 * key and the notification are written in one transaction, so concurrent retries with the same
 * key wait for the first and then see it; the same key with a different request is a conflict.
 */
export async function createNotificationIdempotently(
  deps: IdempotentCreateDeps,
  input: CreateNotificationInput,
  scope: IdempotencyScope,
): Promise<CreatedNotification> {
  if (scope.key === undefined) {
    // Not `{ ...notification, attempts }`: copying its twenty fields cost more than the rest of the call.
    return { notification: await createNotification(deps, input), attempts: [], replayed: false };
  }
  const key = validateIdempotencyKey(scope.key);
  const now = deps.clock?.() ?? new Date();
  const request = validateNotification(input, deps.maxMessageLength, now);
  const hash = requestHash(request, input);
  const fields = await prepareNotification(deps, request, now);
  const caller = scope.callerId ?? "";
  const outcome = await deps.transaction(async ({ notifications, idempotencyKeys }) => {
    const held = await idempotencyKeys.reserve(caller, key, hash, deps.idempotencyTtlHours);
    if (held) return held;
    const notification = await notifications.create(fields);
    await idempotencyKeys.attach(caller, key, notification.id);
    return notification;
  });
  if ("id" in outcome) {
    announceCreated(deps, outcome);
    return { notification: outcome, attempts: [], replayed: false };
  }
  if (outcome.requestHash !== hash) {
    throw new ConflictError(
      `Idempotency-Key ${JSON.stringify(key)} was already used for a different request (notification ${outcome.createdId}); send a new key for a new notification.`,
    );
  }
  const replayed = await getNotification(deps, outcome.createdId);
  return { notification: replayed, attempts: replayed.attempts, replayed: true };
}

export function validateIdempotencyKey(key: string): string {
  const problem =
    key.length === 0
      ? "This header may not be blank."
      : key.length > MAX_KEY_LENGTH
        ? `Ensure this header has no more than ${MAX_KEY_LENGTH} characters.`
        : KEY_PATTERN.test(key)
          ? null
          : "Use printable ASCII characters only.";
  if (problem) throw ValidationError.of("Idempotency-Key", problem);
  return key;
}

/**
 * Two requests are the same when they would create the same notification, however the JSON was
 * spelled. The times are hashed as sent (a ttl_seconds, not the expiry it gives at each try), and a
 * request without templates or times hashes as it did before they existed, so keys stored then
 * still match.
 */
export function requestHash(request: NotificationRequest, input: CreateNotificationInput): string {
  const parts: unknown[] = [request.userId, request.message, request.subject, request.channels];
  const timing = {
    template: request.template,
    data: request.data ?? null,
    send_at: request.sendAt?.toISOString() ?? null,
    expires_at: input.expires_at == null ? null : request.expiresAt?.toISOString(),
    ttl_seconds: input.ttl_seconds ?? null,
    priority: request.priority,
  };
  if (Object.values(timing).some((value) => value !== null && value !== "normal"))
    parts.push(canonical(timing));
  // Added on its own, so a request without a category hashes as it did before categories existed.
  if (request.category !== null) parts.push({ category: request.category });
  // Likewise; keys sorted, so the same labels in another order are the same request.
  if (request.metadata !== null) parts.push({ metadata: canonical(request.metadata) });
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** Object keys sorted at every depth, so `data` spelled in another key order hashes the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
