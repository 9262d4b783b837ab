import type { Channel, ListedPage, OutboxEntry, PageWindow } from "../core/model.js";
import type { OutboxReader } from "./ports.js";

export interface OutboxDeps {
  outbox: OutboxReader;
}

export interface ListOutboxQuery {
  channel?: Channel;
  notificationId?: number;
}

/** What the delivery sandbox "sent", newest first. */
export async function listOutbox(
  deps: OutboxDeps,
  query: ListOutboxQuery,
  page: PageWindow,
): Promise<ListedPage<OutboxEntry>> {
  return deps.outbox.list({ channel: query.channel, notificationId: query.notificationId }, page);
}
