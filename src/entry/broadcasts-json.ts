/**
 * Broadcasts in their public JSON shape: what the HTTP API answers and what the CLI prints with
 * --json. Shared by both entry points, so neither imports the other.
 */
import type { BroadcastWithCounts } from "../broadcasts/broadcast-model.js";

export const serializeBroadcast = (broadcast: BroadcastWithCounts) => ({
  id: broadcast.id,
  status: broadcast.status,
  all_users: broadcast.allUsers,
  total: broadcast.total,
  fanned_out: broadcast.fannedOut,
  counts: broadcast.counts,
  unknown_users: broadcast.unknownUsers,
  unknown_user_count: broadcast.unknownUserCount,
  message: broadcast.message,
  subject: broadcast.subject,
  channels: broadcast.channels,
  template: broadcast.template,
  data: broadcast.data,
  category: broadcast.category,
  metadata: broadcast.metadata,
  priority: broadcast.priority,
  send_at: broadcast.sendAt?.toISOString() ?? null,
  expires_at: broadcast.expiresAt?.toISOString() ?? null,
  created_at: broadcast.createdAt.toISOString(),
  finished_at: broadcast.finishedAt?.toISOString() ?? null,
});
