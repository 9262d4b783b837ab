/**
 * Broadcasts as the API and the CLI use them: create (once per Idempotency-Key), read, list,
 * cancel. Creating only stores the broadcast and its audience; the workers fan it out.
 */
import { createHash } from "node:crypto";
import { type UnsubscribeLinkMaker, unsubscribeUrlOf } from "../audiences/audience-gate.js";
import { ConflictError, NotFoundError, ValidationError } from "../core/errors.js";
import { type Channel, NOTIFICATION_STATUSES } from "../core/model.js";
import type { TemplateCatalog } from "../templates/template-catalog.js";
import { userScope } from "../templates/template-catalog.js";
import {
  type NotificationContentInput,
  validateNotificationContent,
} from "../usecases/create-notification.js";
import { validateIdempotencyKey } from "../usecases/create-notification-idempotently.js";
import type { BulkWebhookEvents, NotificationEventPublisher, WorkWakeUps } from "../usecases/ports.js";
import type {
  BroadcastCounts,
  BroadcastCreation,
  BroadcastStore,
  BroadcastWithCounts,
  NewBroadcast,
} from "./broadcast-model.js";
import { sweepCancelled } from "./fan-out-broadcast.js";

/** The most users one broadcast may name; for more, send several or use all_users. */
export const MAX_BROADCAST_USERS = 100_000;

export interface CreateBroadcastInput extends NotificationContentInput {
  users?: number[] | null;
  all_users?: boolean | null;
}

export interface BroadcastDeps {
  broadcasts: BroadcastStore & {
    inCreation<T>(work: (creation: BroadcastCreation) => Promise<T>): Promise<T>;
  };
  templateCatalog: Pick<TemplateCatalog, "renderer">;
  /** Wakes the workers' fan-out when a broadcast is created. */
  broadcastWakeUps: WorkWakeUps;
  maxMessageLength: number;
  channelOrder: readonly Channel[];
  idempotencyTtlHours: number;
  /** BROADCAST_BATCH_SIZE: an explicit audience is stored in chunks of this many ids, one per batch. */
  broadcastBatchSize: number;
  clock?: () => Date;
  /** For the sample's `unsubscribe_url`, rendered as the fan-out will render it. */
  unsubscribeLinks?: UnsubscribeLinkMaker | null;
  criticalCategories?: ReadonlySet<string>;
  /** Tells webhook subscribers of each notification a cancellation cancels. */
  webhookEvents?: BulkWebhookEvents;
  /** The live event stream, told of each notification a cancellation cancels. */
  notificationEvents?: NotificationEventPublisher;
}

export interface CreatedBroadcast {
  broadcast: BroadcastWithCounts;
  /** True when the key had been used for this request before: nothing new was created. */
  replayed: boolean;
}

export async function createBroadcast(
  deps: BroadcastDeps,
  input: CreateBroadcastInput,
  scope: { callerId: string | null; key: string | undefined },
): Promise<CreatedBroadcast> {
  const key = scope.key === undefined ? null : validateIdempotencyKey(scope.key);
  const now = deps.clock?.() ?? new Date();
  const fields = validateBroadcast(input, deps.maxMessageLength, now);
  const hash = requestHash(fields, input);
  const caller = scope.callerId ?? "";
  await checkAudienceAndTemplate(deps, fields);
  const outcome = await deps.broadcasts.inCreation(async ({ create, idempotencyKeys }) => {
    if (key !== null) {
      const held = await idempotencyKeys.reserve(caller, key, hash, deps.idempotencyTtlHours);
      if (held) return held;
    }
    const broadcast = await create(fields, deps.broadcastBatchSize);
    if (key !== null) await idempotencyKeys.attach(caller, key, broadcast.id);
    return broadcast;
  });
  if ("requestHash" in outcome) {
    return { broadcast: await answerReplay(deps, key!, hash, outcome), replayed: true };
  }
  deps.broadcastWakeUps.wake();
  // As created: no notification exists yet (the workers make them from now on).
  const counts = Object.fromEntries(NOTIFICATION_STATUSES.map((status) => [status, 0])) as BroadcastCounts;
  return { broadcast: { ...outcome, counts }, replayed: false };
}

async function answerReplay(
  deps: BroadcastDeps,
  key: string,
  hash: string,
  held: { requestHash: string; createdId: number },
): Promise<BroadcastWithCounts> {
  if (held.requestHash !== hash) {
    throw new ConflictError(
      `Idempotency-Key ${JSON.stringify(key)} was already used for a different request (broadcast ${held.createdId}); send a new key for a new broadcast.`,
    );
  }
  return getBroadcast(deps, held.createdId);
}

/** Checks the request on its own (no database); throws a ValidationError naming every problem. */
export function validateBroadcast(
  input: CreateBroadcastInput,
  maxMessageLength: number,
  now: Date,
): NewBroadcast {
  const problems: Record<string, string[]> = {};
  let userIds: number[] | null = null;
  if (input.all_users === true) {
    if (input.users != null) problems.users = ["Give users or all_users, not both."];
  } else if (input.users == null) {
    problems.users = ["Give the users' ids, or all_users: true."];
  } else if (input.users.length === 0) {
    problems.users = ["Give at least one user id."];
  } else if (input.users.length > MAX_BROADCAST_USERS) {
    problems.users = [`Ensure this list has no more than ${MAX_BROADCAST_USERS} ids.`];
  } else if (!input.users.every((id) => Number.isSafeInteger(id) && id >= 1)) {
    problems.users = ["Each user id must be a whole number of at least 1."];
  } else userIds = [...new Set(input.users)].sort((a, b) => a - b);
  if (input.all_users === false && input.users == null) problems.all_users = ["Must be true when given."];
  const content = validateNotificationContent(input, maxMessageLength, now, problems);
  return {
    userIds,
    message: content.message,
    subject: content.subject,
    channels: content.channels,
    template: content.template,
    data: content.template === null ? null : ((content.data ?? null) as Record<string, unknown> | null),
    category: content.category,
    metadata: content.metadata,
    priority: content.priority,
    sendAt: content.sendAt,
    expiresAt: content.expiresAt,
  };
}

/**
 * Refuses an audience with nobody in it, and renders a template once for the first recipient in
 * each of its locales: a template that cannot render is a 400 now, not a failure per recipient.
 */
async function checkAudienceAndTemplate(deps: BroadcastDeps, broadcast: NewBroadcast): Promise<void> {
  const sample = await deps.broadcasts.sampleRecipient(broadcast.userIds);
  if (sample === null && broadcast.userIds !== null) {
    throw ValidationError.of("users", "None of these users exist.");
  }
  if (broadcast.template === null) return;
  const renderer = await deps.templateCatalog.renderer(broadcast.template);
  if (sample === null) return;
  const channels = broadcast.channels ?? deps.channelOrder;
  const unsubscribeUrl = unsubscribeUrlOf(
    deps.unsubscribeLinks,
    deps.criticalCategories ?? new Set(),
    sample.id,
    broadcast,
  );
  for (const locale of [sample.locale, ...renderer.locales]) {
    renderer.render({ data: broadcast.data, user: userScope(sample), locale, channels, unsubscribeUrl });
  }
}

export async function getBroadcast(deps: Pick<BroadcastDeps, "broadcasts">, id: number) {
  const broadcast = await deps.broadcasts.findById(id);
  if (!broadcast) throw new NotFoundError(`Broadcast ${id} not found.`);
  return broadcast;
}

export function listBroadcasts(
  deps: Pick<BroadcastDeps, "broadcasts">,
  page: { page: number; pageSize: number },
) {
  return deps.broadcasts.list({ limit: page.pageSize, offset: (page.page - 1) * page.pageSize });
}

/**
 * Stops the fan-out (a batch in progress finishes first) and cancels the pending notifications
 * it made. Cancelling again is harmless and finishes a sweep an earlier call could not. A done
 * broadcast with no pending notification left has nothing to cancel: a ConflictError, as for a
 * single notification already sent, and it stays done.
 */
export async function cancelBroadcast(
  deps: Pick<BroadcastDeps, "broadcasts" | "webhookEvents" | "notificationEvents">,
  id: number,
) {
  const cancelled = await deps.broadcasts.markCancelled(id);
  if (!cancelled) throw new NotFoundError(`Broadcast ${id} not found.`);
  if (cancelled === "nothing_pending") {
    const { counts } = await getBroadcast(deps, id);
    const made = NOTIFICATION_STATUSES.filter((status) => counts[status] > 0)
      .map((status) => `${counts[status]} ${status}`)
      .join(", ");
    throw new ConflictError(
      `Broadcast ${id} cannot be cancelled: it is done and none of its notifications is pending any more (${made || "it made none"}).`,
    );
  }
  await sweepCancelled(deps.broadcasts, id, {
    webhooks: deps.webhookEvents,
    events: deps.notificationEvents,
  });
  return getBroadcast(deps, id);
}

/** The same broadcast however the JSON was spelled: ids deduplicated and sorted, times as sent. */
function requestHash(broadcast: NewBroadcast, input: CreateBroadcastInput): string {
  const canonical = {
    users: broadcast.userIds,
    message: broadcast.message,
    subject: broadcast.subject,
    channels: broadcast.channels,
    template: broadcast.template,
    data: sortedKeys(broadcast.data),
    category: broadcast.category,
    // Only when given, so a broadcast without metadata hashes as it did before metadata existed.
    ...(broadcast.metadata !== null && { metadata: sortedKeys(broadcast.metadata) }),
    priority: broadcast.priority,
    send_at: broadcast.sendAt?.toISOString() ?? null,
    expires_at: input.expires_at == null ? null : (broadcast.expiresAt?.toISOString() ?? null),
    ttl_seconds: input.ttl_seconds ?? null,
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
