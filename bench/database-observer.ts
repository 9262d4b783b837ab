/** The bench's own view of the service's database: what was stored, and in which status. */
import pg from "pg";

export class DatabaseObserver {
  private constructor(
    private readonly client: pg.Client,
    private readonly databaseUrl: string,
    /**
     * The PostgreSQL process serving this connection. Its CPU is the bench's, not the service's:
     * polling for receipts and statuses cost PostgreSQL 4 to 6 µs per notification.
     */
    readonly backendPid: number,
  ) {}

  static async connect(databaseUrl: string): Promise<DatabaseObserver> {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    return new DatabaseObserver(client, databaseUrl, rows[0]!.pid);
  }

  /**
   * Adds `count` recipients, each with a phone number of its own, straight into the users table:
   * through the API each would cost a password hash, seconds for a thousand.
   */
  async addRecipients(count: number): Promise<number[]> {
    const { rows } = await this.client.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, first_name, phone_number)
       SELECT 'bench-recipient-' || i || '@example.com', 'not-a-login', 'Bench', '+7999' || lpad(i::text, 7, '0')
       FROM generate_series(1, $1::integer) AS i
       RETURNING id`,
      [count],
    );
    await this.client.query("ANALYZE users");
    return rows.map((row) => Number(row.id));
  }

  /** `SELECT status, count(*) FROM notifications GROUP BY status`, optionally of matching messages. */
  async statuses(messagePattern: string | null = null): Promise<Record<string, number>> {
    const { rows } =
      messagePattern === null
        ? await this.client.query<{ status: string; count: number }>(
            "SELECT status, count(*)::integer AS count FROM notifications GROUP BY status ORDER BY status",
          )
        : await this.client.query<{ status: string; count: number }>(
            `SELECT status, count(*)::integer AS count FROM notifications
             WHERE message LIKE $1 GROUP BY status ORDER BY status`,
            [messagePattern],
          );
    return Object.fromEntries(rows.map((row) => [row.status, row.count]));
  }

  /** Creation, attempt start and finish times (epoch ms) of the sent notifications matching a pattern. */
  async attemptTimes(
    messagePattern: string,
  ): Promise<Array<{ message: string; created: number; started: number; finished: number }>> {
    const { rows } = await this.client.query<{
      message: string;
      created: number;
      started: number;
      finished: number;
    }>(
      `SELECT n.message,
              extract(epoch FROM n.created_at)::float8 * 1000 AS created,
              extract(epoch FROM a.started_at)::float8 * 1000 AS started,
              extract(epoch FROM a.finished_at)::float8 * 1000 AS finished
       FROM notifications n JOIN attempts a ON a.notification_id = n.id AND a.status = 'sent'
       WHERE n.message LIKE $1`,
      [messagePattern],
    );
    return rows;
  }

  /**
   * Accepted messages still waiting for their receipt, of every phase so far. Read through the
   * service's own partial index, so that polling it costs PostgreSQL next to nothing: a scan of
   * the bench's tables here would be counted as the service's CPU.
   */
  async receiptsToCome(): Promise<number> {
    const { rows } = await this.client.query<{ count: number }>(
      `SELECT count(*)::integer AS count FROM attempts
       WHERE delivery = 'accepted' AND receipt_check_at IS NOT NULL`,
    );
    return rows[0]?.count ?? 0;
  }

  /** This database's row of pg_stat_database, as fresh as PostgreSQL will give it. */
  async databaseCounters(): Promise<Record<string, string>> {
    // Flush our own pending counters and read a fresh snapshot, not the transaction's cached one.
    await this.client.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await this.client.query<Record<string, string>>(
      `SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_returned, tup_fetched
       FROM pg_stat_database WHERE datname = current_database()`,
    );
    return rows[0] ?? {};
  }

  /**
   * VACUUM (ANALYZE) of the whole database, in a connection of its own: its backend is a child of
   * the cluster's postmaster and not the observer's, so it is counted as PostgreSQL's CPU. A variant
   * pays for clearing the dead row versions it left, instead of the next variant paying for them
   * when autovacuum gets round to it.
   */
  async vacuum(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      await client.query("VACUUM (ANALYZE)");
    } finally {
      await client.end();
    }
  }

  /**
   * Per index: heap rows fetched through it; per table: rows read by sequential scans, and updates
   * with how many were HOT (no index entry written). Cumulative, like databaseCounters.
   */
  async relationCounters(): Promise<Record<string, number>> {
    await this.client.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await this.client.query<{ key: string; value: string }>(
      `SELECT 'fetched via ' || indexrelname AS key, idx_tup_fetch AS value FROM pg_stat_all_indexes
       UNION ALL SELECT 'seq read of ' || relname, seq_tup_read FROM pg_stat_all_tables
       UNION ALL SELECT 'updated ' || relname, n_tup_upd FROM pg_stat_user_tables
       UNION ALL SELECT 'hot updated ' || relname, n_tup_hot_upd FROM pg_stat_user_tables`,
    );
    return Object.fromEntries(rows.map((row) => [row.key, Number(row.value)]));
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

export function total(statuses: Record<string, number>): number {
  return Object.values(statuses).reduce((sum, count) => sum + count, 0);
}
