import { NotFoundError, userNotFound } from "../core/errors.js";
import type {
  Channel,
  ListedPage,
  Metadata,
  NotificationStatus,
  PageWindow,
  StoredAttempt,
  StoredNotification,
  UserProfile,
} from "../core/model.js";
import type { AttemptReader, NotificationStore, UserReader } from "./ports.js";

export interface ReadDeps {
  notifications: NotificationStore;
  attempts: AttemptReader;
  users: UserReader;
}

export type NotificationWithAttempts = StoredNotification & { attempts: StoredAttempt[] };

export async function getNotification(deps: ReadDeps, id: number): Promise<NotificationWithAttempts> {
  const notification = await deps.notifications.findById(id);
  if (!notification) throw new NotFoundError(`Notification ${id} not found.`);
  return { ...notification, attempts: await deps.attempts.listForNotification(id) };
}

export interface ListNotificationsQuery {
  userId?: number;
  status?: NotificationStatus;
  /** The channel that delivered it, or the last one called (last_channel). */
  channel?: Channel;
  /** Case-insensitive substring of the message, taken literally. */
  search?: string;
  /** true: only those waiting for a later time; false: only those due now (both imply pending). */
  scheduled?: boolean;
  /** Only the notifications fanned out from this broadcast. */
  broadcastId?: number;
  category?: string;
  /** Only those whose metadata holds all of these. */
  metadata?: Metadata;
}

export async function listNotifications(
  deps: ReadDeps,
  query: ListNotificationsQuery,
  page: PageWindow,
): Promise<ListedPage<NotificationWithAttempts>> {
  const { results, ...counted } = await deps.notifications.list(
    {
      userId: query.userId,
      status: query.status,
      lastChannel: query.channel,
      search: query.search,
      scheduled: query.scheduled,
      broadcastId: query.broadcastId,
      category: query.category,
      metadata: query.metadata,
    },
    page,
  );
  const attempts = await deps.attempts.listForNotifications(results.map((n) => n.id));
  return { ...counted, results: results.map((n) => ({ ...n, attempts: attempts.get(n.id) ?? [] })) };
}

export async function getUser(deps: ReadDeps, id: number): Promise<UserProfile> {
  const user = await deps.users.findById(id);
  if (!user) throw userNotFound(id);
  return user;
}
