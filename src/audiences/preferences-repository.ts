/** Users' preferences, a JSON document on the user row (NULL: everything allowed). */
import type { Channel, Preferences } from "../core/model.js";
import type { Queryable } from "../db/database.js";
import { storedPreferences, type TurnOffResult } from "./preferences.js";

export class PreferencesRepository {
  constructor(private readonly db: Queryable) {}

  /** The user's preferences (null: none set), or undefined when there is no such user. */
  async find(userId: number): Promise<Preferences | null | undefined> {
    const { rows } = await this.db.query<{ preferences: unknown }>(
      "SELECT preferences FROM users WHERE id = $1",
      [userId],
    );
    return rows[0] ? storedPreferences(rows[0].preferences) : undefined;
  }

  /** Replaces the whole document; false when there is no such user. */
  async replace(userId: number, preferences: Preferences): Promise<boolean> {
    const { rowCount } = await this.db.query("UPDATE users SET preferences = $2::jsonb WHERE id = $1", [
      userId,
      JSON.stringify(preferences),
    ]);
    return rowCount === 1;
  }

  /**
   * Turns one channel off for one category, keeping everything else, in one statement (two
   * unsubscribes at once must not undo each other).
   */
  async turnOff(userId: number, category: string, channel: Channel): Promise<TurnOffResult> {
    // Changed only when it was not off already: a second click (or a mail provider's retry)
    // changes nothing, so it is told nothing either.
    const { rows } = await this.db.query<{ changed: boolean; exists: boolean }>(
      `WITH changed AS (
         UPDATE users SET preferences = jsonb_set(
           jsonb_set(COALESCE(preferences, '{}'::jsonb), '{categories}',
                     COALESCE(preferences->'categories', '{}'::jsonb)),
           ARRAY['categories', $2::text],
           COALESCE(preferences->'categories'->$2::text, '{}'::jsonb) || jsonb_build_object($3::text, false))
         WHERE id = $1 AND preferences->'categories'->$2::text->$3::text IS DISTINCT FROM 'false'::jsonb
         RETURNING id)
       SELECT EXISTS (SELECT 1 FROM changed) AS changed, EXISTS (SELECT 1 FROM users WHERE id = $1) AS exists`,
      [userId, category, channel],
    );
    const row = rows[0];
    return row?.changed ? "turned_off" : row?.exists ? "already_off" : "no_user";
  }
}
