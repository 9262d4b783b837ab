import { userNotFound } from "../core/errors.js";
import type { ErasedUser } from "../core/model.js";
import type { NotificationEventPublisher, UserStore } from "./ports.js";

export interface EraseUserDeps {
  users: Pick<UserStore, "erase">;
  /**
   * Told `user` `erased`, and `resync` when notifications went with the user: dashboards showing
   * them reload.
   */
  notificationEvents: NotificationEventPublisher;
}

/**
 * Deletes a recipient with their notifications and everything recorded about those (attempts,
 * outbox entries, idempotency keys): a person's right to erasure. Their pending notifications are
 * never sent; a provider call already under way cannot be called back, and the worker making it
 * finds nothing left to record its outcome on. Suppressions are kept: they belong to an address,
 * not to a user, and say never to send to it again (see docs/audiences.md).
 */
export async function eraseUser(deps: EraseUserDeps, id: number): Promise<ErasedUser> {
  const erased = await deps.users.erase(id);
  if (!erased) throw userNotFound(id);
  deps.notificationEvents.publish({ type: "user", id, change: "erased" });
  if (erased.notifications > 0) deps.notificationEvents.publish({ type: "resync" });
  return erased;
}
