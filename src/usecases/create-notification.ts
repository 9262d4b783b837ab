import { ValidationError } from "../core/errors.js";
import { type Channel, isChannel, type StoredNotification } from "../core/model.js";
import type { NotificationEventPublisher, NotificationStore, WorkWakeUps } from "./ports.js";

export interface CreateNotificationInput {
  user: number;
  message: string;
  subject?: string | null;
  channels?: string[] | null;
}

export interface CreateNotificationDeps {
  notifications: NotificationStore;
  wakeUps: WorkWakeUps;
  notificationEvents: NotificationEventPublisher;
  maxMessageLength: number;
}

/**
 * Stores the notification, due now, and wakes the workers without waiting for them: once the row
 * is committed the notification is safe, and a worker that missed the wake-up finds it by polling.
 */
export async function createNotification(
  deps: CreateNotificationDeps,
  input: CreateNotificationInput,
): Promise<StoredNotification> {
  const notification = await deps.notifications.createBatched(
    validateNotification(input, deps.maxMessageLength),
  );
  announceCreated(deps, notification);
  return notification;
}

/** Tells the workers and the dashboards about a notification just committed. */
export function announceCreated(deps: CreateNotificationDeps, notification: StoredNotification): void {
  deps.wakeUps.wake();
  deps.notificationEvents.publish({ type: "created", id: notification.id, status: notification.status });
}

export function validateNotification(input: CreateNotificationInput, maxMessageLength: number) {
  const problems: Record<string, string[]> = {};
  if (!Number.isSafeInteger(input.user) || input.user < 1) problems.user = ["A valid user id is required."];
  if (input.message.trim() === "") problems.message = ["This field may not be blank."];
  else if ([...input.message].length > maxMessageLength) {
    problems.message = [`Ensure this field has no more than ${maxMessageLength} characters.`];
  }
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
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const subject = input.subject?.trim() ? input.subject.trim() : null;
  return { userId: input.user, message: input.message, subject, channels };
}
