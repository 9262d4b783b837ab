import type { Channel, ListedPage, OutboxEntry } from "../core/model.js";
import type { OutboxReader } from "./ports.js";

export interface OutboxDeps {
  outbox: OutboxReader;
}

export interface ListOutboxQuery {
  channel?: Channel;
  notificationId?: number;
  page: number;
  pageSize: number;
}

/** What the delivery sandbox "sent", newest first. */
export async function listOutbox(deps: OutboxDeps, query: ListOutboxQuery): Promise<ListedPage<OutboxEntry>> {
  return deps.outbox.list(
    { channel: query.channel, notificationId: query.notificationId },
    { limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
  );
}
