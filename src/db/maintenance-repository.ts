import type { Queryable } from "./database.js";

/**
 * A CTE `lease` that gives `task`'s turn (its row of maintenance_schedule) to `holder` for
 * `seconds`: taken when nobody has it or the last holder's lease lapsed, renewed by its holder.
 * It yields a row only when `holder` has the turn, so a statement can claim work under it in the
 * same round trip (receipt checks, the Telegram updates poller). `task` is a constant name;
 * `holder` and `seconds` are the statement's parameters (`$1`).
 */
export function taskLeaseCte(task: string, holder: string, seconds: string): string {
  return `lease AS (
         INSERT INTO maintenance_schedule AS s (task, next_run_at, holder)
         VALUES ('${task}', now() + make_interval(secs => ${seconds}), ${holder})
         ON CONFLICT (task) DO UPDATE SET next_run_at = EXCLUDED.next_run_at, holder = EXCLUDED.holder
         WHERE s.holder = EXCLUDED.holder OR s.next_run_at <= now()
         RETURNING 1)`;
}

/** Gives `task`'s turn up (its holder stopping), so another worker need not wait its lease out. */
export async function releaseTaskLease(db: Queryable, task: string, holder: string): Promise<void> {
  await db.query(
    "UPDATE maintenance_schedule SET next_run_at = now(), holder = NULL WHERE task = $1 AND holder = $2",
    [task, holder],
  );
}

export class MaintenanceRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * True for exactly one caller once `task`'s time has come (the first time at once), and moves
   * its time on by `intervalSeconds` in the same statement; false for everyone else meanwhile.
   */
  async takeTurn(task: string, intervalSeconds: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO maintenance_schedule AS s (task, next_run_at)
       VALUES ($1, now() + make_interval(secs => $2))
       ON CONFLICT (task) DO UPDATE SET next_run_at = EXCLUDED.next_run_at
       WHERE s.next_run_at <= now()`,
      [task, intervalSeconds],
    );
    return rowCount === 1;
  }
}
