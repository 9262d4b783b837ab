import { createHash } from "node:crypto";
import { ConflictError, UnknownUsersError, unknownUserMessage, ValidationError } from "../core/errors.js";
import type { IdempotencyRecord, StoredAttempt, StoredNotification } from "../core/model.js";
import {
  type CreateNotificationInput,
  type NotificationRequest,
  prepareNotification,
  validateNotification,
} from "./create-notification.js";
import {
  type IdempotencyScope,
  type IdempotentCreateDeps,
  requestHash,
  validateIdempotencyKey,
} from "./create-notification-idempotently.js";
import type { IdempotencyKeyStore } from "./ports.js";

export interface BulkCreateDeps extends IdempotentCreateDeps {
  /** Read before anything is prepared, so a retry answers even when an item could no longer be made. */
  idempotencyKeys: Pick<IdempotencyKeyStore, "lookup">;
}

/** Notifications per bulk request: one INSERT of this many rows stays short beside live traffic. */
export const MAX_BULK_NOTIFICATIONS = 500;

export interface CreatedInBulk {
  /** In the request's order, each with its attempts so far (none, unless replayed). */
  results: { notification: StoredNotification; attempts: StoredAttempt[] }[];
  /** True when the key had been used for this request before: nothing new was created. */
  replayed: boolean;
}

/**
 * Creates many notifications, each as POST /api/notifications/ would, in one transaction: all are
 * stored or none. An item that breaks a rule, or names a user that does not exist, fails the whole
 * request with its problems under `notifications.<index>.<field>`. One Idempotency-Key covers the
 * request: repeated, it returns the notifications it first created (those not deleted since).
 */
export async function createNotificationsInBulk(
  deps: BulkCreateDeps,
  inputs: CreateNotificationInput[],
  scope: IdempotencyScope,
): Promise<CreatedInBulk> {
  if (inputs.length === 0 || inputs.length > MAX_BULK_NOTIFICATIONS) {
    throw ValidationError.of("notifications", `Give from 1 to ${MAX_BULK_NOTIFICATIONS} notifications.`);
  }
  const key = scope.key === undefined ? undefined : validateIdempotencyKey(scope.key);
  const now = deps.clock?.() ?? new Date();
  const requests = await eachOrProblems(inputs, (input) =>
    validateNotification(input, deps.maxMessageLength, now),
  );
  const hash = key === undefined ? "" : bulkRequestHash(requests, inputs);
  const caller = scope.callerId ?? "";
  // A retry of a stored request is answered before its items are prepared again: one of its users
  // may have been erased since, which would make preparing it a 400.
  if (key !== undefined) {
    const held = await deps.idempotencyKeys.lookup(caller, key, deps.idempotencyTtlHours);
    if (held) return replay(deps, held, hash, key);
  }
  // Templates read their recipients and render here, before the transaction: on the embedded
  // database's one connection, a read through the pool while the transaction holds it would wait.
  // A plain message's user is looked up too (one statement for all), so that every unknown user is
  // named at once; the INSERT checks again.
  const fields = await eachOrProblems(requests, async (request) => {
    if (request.template === null && !(await deps.users.findById(request.userId))) {
      throw ValidationError.of("user", unknownUserMessage(request.userId));
    }
    return prepareNotification(deps, request, now);
  });
  const outcome = await deps
    .transaction(async ({ notifications, idempotencyKeys }) => {
      if (key !== undefined) {
        const held = await idempotencyKeys.reserve(caller, key, hash, deps.idempotencyTtlHours);
        if (held) return held;
      }
      const created = await notifications.createMany(fields);
      if (key !== undefined) {
        await idempotencyKeys.attachMany(
          caller,
          key,
          created.map((notification) => notification.id),
        );
      }
      return created;
    })
    .catch((error: unknown) => {
      if (error instanceof UnknownUsersError) throw unknownUsersProblem(error, requests);
      throw error;
    });
  if (Array.isArray(outcome)) {
    deps.wakeUps.wake();
    for (const notification of outcome) {
      deps.notificationEvents.publish({ type: "created", id: notification.id, status: notification.status });
    }
    return { results: outcome.map((notification) => ({ notification, attempts: [] })), replayed: false };
  }
  return replay(deps, outcome, hash, key!);
}

/** The notifications a key's first request created, as they stand now; a 409 for another request. */
async function replay(
  deps: BulkCreateDeps,
  held: IdempotencyRecord,
  hash: string,
  key: string,
): Promise<CreatedInBulk> {
  if (held.requestHash !== hash) {
    throw new ConflictError(
      `Idempotency-Key ${JSON.stringify(key)} was already used for a different request; send a new key for new notifications.`,
    );
  }
  // Read again as they stand now; one deleted since (its user erased, retention) is left out.
  const ids = held.createdIds ?? [held.createdId];
  const found = await Promise.all(ids.map((id) => deps.notifications.findById(id)));
  const stored = found.filter((notification) => notification !== null);
  const attempts = await deps.attempts.listForNotifications(stored.map((notification) => notification.id));
  return {
    results: stored.map((notification) => ({ notification, attempts: attempts.get(notification.id) ?? [] })),
    replayed: true,
  };
}

/**
 * Runs `check` on every item (side by side, so the reads of one tick share a statement); every
 * ValidationError is gathered under its item's index, and any one of them fails the whole request.
 */
async function eachOrProblems<In, Out>(items: In[], check: (item: In) => Out | Promise<Out>): Promise<Out[]> {
  const settled = await Promise.allSettled(items.map(async (item) => check(item)));
  const problems: Record<string, string[]> = {};
  settled.forEach((result, index) => {
    if (result.status === "fulfilled") return;
    if (!(result.reason instanceof ValidationError)) throw result.reason;
    Object.assign(problems, indexed(index, result.reason));
  });
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  return settled.map((result) => (result as PromiseFulfilledResult<Out>).value);
}

function indexed(index: number, error: ValidationError): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(error.fields).map(([field, problems]) => [`notifications.${index}.${field}`, problems]),
  );
}

function unknownUsersProblem(error: UnknownUsersError, requests: NotificationRequest[]): ValidationError {
  if (error.userIds.length === 0) {
    return ValidationError.of(
      "notifications",
      "A user was deleted while these were stored; nothing was stored.",
    );
  }
  const unknown = new Set(error.userIds);
  const problems: Record<string, string[]> = {};
  requests.forEach((request, index) => {
    if (unknown.has(request.userId)) {
      problems[`notifications.${index}.user`] = [unknownUserMessage(request.userId)];
    }
  });
  return new ValidationError(problems);
}

/** The items' own hashes, in order: the same request however its JSON was spelled. */
function bulkRequestHash(requests: NotificationRequest[], inputs: CreateNotificationInput[]): string {
  const items = requests.map((request, index) => requestHash(request, inputs[index]!));
  return createHash("sha256")
    .update(`bulk:${items.join(",")}`)
    .digest("hex");
}
