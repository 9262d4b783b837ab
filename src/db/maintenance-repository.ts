import type { Queryable } from "./database.js";

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
