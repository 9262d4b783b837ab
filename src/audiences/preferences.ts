/**
 * The rules of categories and preferences, pure: which slug is a category, what a preferences
 * document may hold, and whether a channel may carry a notification of a category to its user.
 */
import { ValidationError } from "../core/errors.js";
import { CHANNELS, type Channel, isChannel, type Preferences, type Priority } from "../core/model.js";

/** Lower-case letters, digits, "-" and "_", 1-64 characters, starting and ending with a letter or digit. */
export const CATEGORY_PATTERN = /^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/;

export function isCategory(value: unknown): value is string {
  return typeof value === "string" && CATEGORY_PATTERN.test(value);
}

export const CATEGORY_RULE =
  'A category is 1-64 lower-case letters, digits, "-" or "_", starting and ending with a letter or digit (e.g. "marketing").';

export const EMPTY_PREFERENCES: Preferences = { channels: {}, categories: {} };

/** At most this many categories per user: a preferences document is read on every claim. */
export const MAX_PREFERENCE_CATEGORIES = 100;

/**
 * Checks a preferences document as a client sends it; throws a ValidationError naming each problem.
 * `maxCategories` is MAX_PREFERENCE_CATEGORIES unless the user already has more (see replacePreferences).
 */
export function parsePreferences(input: unknown, maxCategories = MAX_PREFERENCE_CATEGORIES): Preferences {
  const problems: Record<string, string[]> = {};
  if (!isPlainObject(input)) throw ValidationError.of("non_field_errors", "Send a JSON object.");
  for (const key of Object.keys(input)) {
    if (key !== "channels" && key !== "categories")
      problems[key] = ["Unknown field: use channels and categories."];
  }
  const channels = channelSwitches(input.channels ?? {}, "channels", problems);
  const categories: Preferences["categories"] = {};
  const rawCategories = input.categories ?? {};
  if (!isPlainObject(rawCategories)) problems.categories = ["Must be an object of category -> channels."];
  else {
    const names = Object.keys(rawCategories);
    if (names.length > maxCategories) {
      problems.categories = [
        maxCategories > MAX_PREFERENCE_CATEGORIES
          ? `Ensure there are no more than ${maxCategories} categories, as many as one-click unsubscribes gave this user (otherwise ${MAX_PREFERENCE_CATEGORIES}).`
          : `Ensure there are no more than ${maxCategories} categories.`,
      ];
    }
    for (const name of names) {
      if (!isCategory(name)) {
        problems[`categories.${name}`] = [CATEGORY_RULE];
        continue;
      }
      categories[name] = channelSwitches(rawCategories[name], `categories.${name}`, problems);
    }
  }
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  return { channels, categories };
}

function channelSwitches(
  input: unknown,
  field: string,
  problems: Record<string, string[]>,
): Partial<Record<Channel, boolean>> {
  const switches: Partial<Record<Channel, boolean>> = {};
  if (!isPlainObject(input)) {
    problems[field] = [`Must be an object of channel -> true/false (channels: ${CHANNELS.join(", ")}).`];
    return switches;
  }
  for (const [channel, allowed] of Object.entries(input)) {
    if (!isChannel(channel))
      problems[`${field}.${channel}`] = [`Unknown channel: use ${CHANNELS.join(", ")}.`];
    else if (typeof allowed !== "boolean") problems[`${field}.${channel}`] = ["Must be true or false."];
    else switches[channel] = allowed;
  }
  return switches;
}

/** A stored document (the database's JSON), read leniently: anything unexpected is ignored. */
export function storedPreferences(json: unknown): Preferences | null {
  if (!isPlainObject(json)) return null;
  const switches = (value: unknown): Partial<Record<Channel, boolean>> =>
    isPlainObject(value)
      ? Object.fromEntries(
          Object.entries(value).filter(
            ([channel, allowed]) => isChannel(channel) && typeof allowed === "boolean",
          ),
        )
      : {};
  const categories = isPlainObject(json.categories)
    ? Object.fromEntries(Object.entries(json.categories).map(([name, value]) => [name, switches(value)]))
    : {};
  return { channels: switches(json.channels), categories };
}

/** Where the user turned `channel` off for a notification of `category`, or null when it is allowed. */
export function turnedOffBy(
  preferences: Preferences | null,
  channel: Channel,
  category: string | null,
): "channel" | "category" | null {
  if (!preferences) return null;
  if (preferences.channels[channel] === false) return "channel";
  if (category !== null && preferences.categories[category]?.[channel] === false) return "category";
  return null;
}

/**
 * Critical notifications reach the user whatever their preferences (never a suppressed address):
 * `priority: critical`, or a category the operator lists in CRITICAL_CATEGORIES.
 */
export function bypassesPreferences(
  notification: { priority: Priority; category: string | null },
  criticalCategories: ReadonlySet<string>,
): boolean {
  return (
    notification.priority === "critical" ||
    (notification.category !== null && criticalCategories.has(notification.category))
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What turning a category off for a channel did: nothing when it was off already. */
export type TurnOffResult = "turned_off" | "already_off" | "no_user";
