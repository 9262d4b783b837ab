import { userNotFound, ValidationError } from "../core/errors.js";
import type { UserProfile } from "../core/model.js";
import { type UserProfileInput, validateProfile } from "./create-user.js";
import type { NotificationEventPublisher, RememberedRecipients, UserStore } from "./ports.js";

export interface UpdateUserDeps {
  users: UserStore;
  /** This process's copy of the recipient, dropped so that the next notification reads them afresh. */
  templates: RememberedRecipients;
  phoneDefaultRegion: string;
  /** Told `user` `updated`: an open page of the user reloads it. */
  notificationEvents: NotificationEventPublisher;
}

/** Changes the fields given (all but the password); the others stay as they are. */
export async function updateUser(
  deps: UpdateUserDeps,
  id: number,
  input: UserProfileInput & { password?: unknown },
): Promise<UserProfile> {
  const problems: Record<string, string[]> = {};
  if (input.password !== undefined) problems.password = ["The password cannot be changed here."];
  const changes = validateProfile(input, deps.phoneDefaultRegion, problems);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const updated = await deps.users.update(id, changes);
  if (!updated) throw userNotFound(id);
  deps.templates.forgetRecipient(id);
  deps.notificationEvents.publish({ type: "user", id, change: "updated" });
  return updated;
}
