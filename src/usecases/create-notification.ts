import { type UnsubscribeLinkMaker, unsubscribeUrlOf } from "../audiences/audience-gate.js";
import { CATEGORY_RULE, isCategory } from "../audiences/preferences.js";
import { RenderedFromChangedError, unknownUserMessage, ValidationError } from "../core/errors.js";
import { validateMetadata } from "../core/metadata.js";
import {
  type Channel,
  isChannel,
  type NewNotification,
  PRIORITIES,
  type Priority,
  type StoredNotification,
} from "../core/model.js";
import { addNotificationLengthProblems } from "../core/notification-field-limits.js";
import type {
  NotificationEventPublisher,
  NotificationStore,
  TemplateRecipientReader,
  TemplateRenderer,
  WorkWakeUps,
} from "./ports.js";

export interface CreateNotificationInput {
  user: number;
  /** The text to send; or `template` (with `data`) instead. */
  message?: string | null;
  subject?: string | null;
  channels?: string[] | null;
  template?: string | null;
  data?: unknown;
  /** RFC 3339 with an offset: not before then. */
  send_at?: string | null;
  /** RFC 3339 with an offset, or ttl_seconds from now (not both): never delivered at or after it. */
  expires_at?: string | null;
  ttl_seconds?: number | null;
  /** "critical" ignores the recipient's quiet hours. */
  priority?: string | null;
  /** What kind of message it is (a slug): the recipient's preferences for it apply. */
  category?: string | null;
  /** The caller's own labels: string keys to string values. */
  metadata?: Record<string, unknown> | null;
}

export interface CreateNotificationDeps {
  notifications: NotificationStore;
  /** A template's recipient and version, read together before rendering. */
  templates: TemplateRecipientReader;
  templateCatalog: TemplateRenderer;
  wakeUps: WorkWakeUps;
  notificationEvents: NotificationEventPublisher;
  maxMessageLength: number;
  /** The channels a notification without its own list may use (CHANNEL_ORDER): what a template renders. */
  channelOrder: readonly Channel[];
  /** The time now; tests pass their own. */
  clock?: () => Date;
  /** For a template's `unsubscribe_url`: the link, and which categories may not be unsubscribed from. */
  unsubscribeLinks?: UnsubscribeLinkMaker | null;
  criticalCategories?: ReadonlySet<string>;
}

/**
 * Stores the notification and wakes the workers without waiting for them: once the row is
 * committed the notification is safe, and a worker that missed the wake-up finds it by polling.
 * One due later (send_at, the recipient's quiet hours) is only a row whose next_attempt_at is later.
 */
export async function createNotification(
  deps: CreateNotificationDeps,
  input: CreateNotificationInput,
): Promise<StoredNotification> {
  const now = deps.clock?.() ?? new Date();
  const request = validateNotification(input, deps.maxMessageLength, now);
  let notification: StoredNotification;
  try {
    notification = await deps.notifications.createBatched(
      await prepareNotification(deps, request, now, { rememberedRecipient: true }),
    );
  } catch (error) {
    // Rendered from a recipient or template that has changed since this process read it.
    if (!(error instanceof RenderedFromChangedError)) throw error;
    notification = await deps.notifications.createBatched(await prepareNotification(deps, request, now));
  }
  announceCreated(deps, notification);
  return notification;
}

/**
 * Tells the workers and the dashboards about a notification just committed. One due later wakes
 * the workers all the same: their claim finds nothing due and sets their timer to its time.
 */
export function announceCreated(deps: CreateNotificationDeps, notification: StoredNotification): void {
  deps.wakeUps.wake();
  deps.notificationEvents.publish({ type: "created", id: notification.id, status: notification.status });
}

export type NotificationRequest = ReturnType<typeof validateNotification>;

/** Checks the request on its own (no database); throws a ValidationError naming every problem. */
export function validateNotification(input: CreateNotificationInput, maxMessageLength: number, now: Date) {
  const problems: Record<string, string[]> = {};
  if (!Number.isSafeInteger(input.user) || input.user < 1) problems.user = ["A valid user id is required."];
  return { userId: input.user, ...validateNotificationContent(input, maxMessageLength, now, problems) };
}

export type NotificationContentInput = Omit<CreateNotificationInput, "user">;

/**
 * What is sent and when, whoever it goes to (a notification's user, a broadcast's audience):
 * throws a ValidationError naming every problem, those already in `problems` included.
 */
export function validateNotificationContent(
  input: NotificationContentInput,
  maxMessageLength: number,
  now: Date,
  problems: Record<string, string[]> = {},
) {
  const message = input.message ?? null;
  const template = input.template ?? null;
  if (message !== null && template !== null) {
    problems.template = ["Give either message or template, not both."];
  } else if (template !== null) {
    if (input.subject != null) problems.subject = ["A template has its own subject; leave subject out."];
  } else if (message === null) {
    problems.message = ["This field is required."];
  } else if (message.trim() === "") problems.message = ["This field may not be blank."];
  // The limit counts characters (code points), never more than UTF-16 units: only a message longer
  // in units than the limit is split into characters to count them.
  else if (message.length > maxMessageLength && [...message].length > maxMessageLength) {
    problems.message = [`Ensure this field has no more than ${maxMessageLength} characters.`];
  }
  if (template === null && input.data != null) problems.data = ["data is only for a template."];
  let channels: Channel[] | null = null;
  if (input.channels != null) {
    const unknown = input.channels.filter((channel) => !isChannel(channel));
    if (input.channels.length === 0)
      problems.channels = ["Give at least one channel, or leave channels out."];
    else if (unknown.length > 0) {
      problems.channels = [`Unknown channel ${JSON.stringify(unknown[0])}: use sms, email or telegram.`];
    } else if (new Set(input.channels).size !== input.channels.length) {
      problems.channels = ["Each channel may appear only once."];
    } else channels = input.channels as Channel[];
  }
  const sendAt = input.send_at == null ? null : rfc3339(input.send_at, "send_at", problems);
  if (sendAt && sendAt.getTime() - now.getTime() > MAX_SCHEDULE_AHEAD_MS) {
    problems.send_at = ["Schedule at most 366 days ahead."];
  }
  let expiresAt: Date | null = null;
  if (input.expires_at != null && input.ttl_seconds != null) {
    problems.expires_at = ["Give expires_at or ttl_seconds, not both."];
  } else if (input.expires_at != null) {
    expiresAt = rfc3339(input.expires_at, "expires_at", problems);
    if (expiresAt && expiresAt.getTime() <= now.getTime()) {
      problems.expires_at = ["This time has already passed."];
    }
  } else if (input.ttl_seconds != null) {
    if (
      !Number.isInteger(input.ttl_seconds) ||
      input.ttl_seconds < 1 ||
      input.ttl_seconds > MAX_TTL_SECONDS
    ) {
      problems.ttl_seconds = [`Enter a whole number of seconds from 1 to ${MAX_TTL_SECONDS}.`];
    } else expiresAt = new Date(now.getTime() + input.ttl_seconds * 1000);
  }
  if (sendAt && expiresAt && expiresAt.getTime() <= sendAt.getTime()) {
    problems[input.ttl_seconds != null ? "ttl_seconds" : "expires_at"] = ["It would expire before send_at."];
  }
  let priority: Priority = "normal";
  if (input.priority != null) {
    if ((PRIORITIES as readonly string[]).includes(input.priority)) priority = input.priority as Priority;
    else problems.priority = [`Select a valid choice: ${PRIORITIES.join(", ")}.`];
  }
  const category = input.category ?? null;
  if (category !== null && !isCategory(category)) problems.category = [CATEGORY_RULE];
  const metadata = validateMetadata(input.metadata, problems);
  addNotificationLengthProblems(input as Record<string, unknown>, problems);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const subject = input.subject?.trim() ? input.subject.trim() : null;
  return {
    message,
    subject,
    channels,
    template,
    data: input.data,
    sendAt,
    expiresAt,
    priority,
    category,
    metadata,
  };
}

const MAX_SCHEDULE_AHEAD_MS = 366 * 86_400_000;
const MAX_TTL_SECONDS = 366 * 86_400;
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** What a time that is not one is told, here and by the API's schema check (error-handler.ts). */
export const RFC_3339_PROBLEM = 'Give an RFC 3339 time with an offset, e.g. "2026-12-01T09:00:00+03:00".';

function rfc3339(text: string, field: string, problems: Record<string, string[]>): Date | null {
  // Year 0000 parses here but is no date at all in RFC 3339 (years run from 0001), nor in Django.
  const instant = RFC_3339.test(text) && !text.startsWith("0000") ? new Date(text.replace(" ", "T")) : null;
  if (!instant || Number.isNaN(instant.getTime())) {
    problems[field] = [RFC_3339_PROBLEM];
    return null;
  }
  return instant;
}

/**
 * What to store: a template is rendered for every channel the notification may use, in its
 * recipient's locale (the only case that reads the recipient here: for a plain message the INSERT
 * itself checks that the user exists); the first round is due at send_at, or now. The recipient's
 * quiet hours are the worker's to apply when the round falls due. With `rememberedRecipient`, a
 * recipient and template this process has read before are rendered from without reading them
 * again, and the result names their row versions for the INSERT to check.
 */
export async function prepareNotification(
  deps: CreateNotificationDeps,
  request: NotificationRequest,
  now: Date,
  options: { rememberedRecipient?: boolean } = {},
): Promise<NewNotification> {
  let content: Pick<
    NewNotification,
    "message" | "subject" | "template" | "locale" | "rendered" | "renderedFrom"
  >;
  if (request.template !== null) {
    const remembered = options.rememberedRecipient
      ? deps.templates.remembered(request.userId, request.template)
      : null;
    const { user, templateVersion } =
      remembered ?? (await deps.templates.recipientAndTemplateVersion(request.userId, request.template));
    if (!user) throw ValidationError.of("user", unknownUserMessage(request.userId));
    const channels = request.channels ?? deps.channelOrder;
    const { template, locale, rendered } = await deps.templateCatalog.renderForRecipient({
      template: request.template,
      version: templateVersion,
      data: request.data,
      user,
      channels,
      unsubscribeUrl: unsubscribeUrlOf(
        deps.unsubscribeLinks,
        deps.criticalCategories ?? new Set(),
        request.userId,
        request,
      ),
    });
    // `message` and `subject` keep showing (and searching) a text: the first channel's.
    const first = channels.map((channel) => rendered[channel]).find((body) => body !== undefined)!;
    const subject = rendered.email?.subject ?? null;
    content = {
      message: first.text,
      subject,
      template,
      locale,
      rendered,
      renderedFrom: remembered?.renderedFrom ?? null,
    };
  } else {
    content = {
      message: request.message!,
      subject: request.subject,
      template: null,
      locale: null,
      rendered: null,
      renderedFrom: null,
    };
  }
  return {
    userId: request.userId,
    channels: request.channels,
    ...content,
    expiresAt: request.expiresAt,
    priority: request.priority,
    category: request.category,
    metadata: request.metadata,
    // Null: due now, by the database's clock, as before scheduling existed.
    nextAttemptAt: request.sendAt && request.sendAt > now ? request.sendAt : null,
  };
}
