import { userNotFound } from "../core/errors.js";
import type { ErasedUser } from "../core/model.js";
import type { NotificationEventPublisher, RememberedRecipients, UserStore } from "./ports.js";

export interface EraseUserDeps {
  users: Pick<UserStore, "erase">;
  /** This process's copy of the recipient, dropped so that nothing of them stays in memory. */
  templates: RememberedRecipients;
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
 * not to a user, and say never to send to it again (see docs/audiences.md). What this process
 * remembered of them to render templates goes too; another process's copy stores nothing (the
 * INSERT checks the row is still there) and expires within minutes.
 */
export async function eraseUser(deps: EraseUserDeps, id: number): Promise<ErasedUser> {
  const erased = await deps.users.erase(id);
  // Also when another process erased them first: this one may still hold a copy.
  deps.templates.forgetRecipient(id);
  if (!erased) throw userNotFound(id);
  deps.notificationEvents.publish({ type: "user", id, change: "erased" });
  if (erased.notifications > 0) deps.notificationEvents.publish({ type: "resync" });
  return erased;
}
