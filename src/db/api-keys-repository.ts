import type { StoredApiKey } from "../core/model.js";
import type { Queryable } from "./database.js";

interface ApiKeyRow {
  id: number;
  name: string;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toApiKey = (row: ApiKeyRow): StoredApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.key_prefix,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

// Any constant works; it serialises "create the first key" across API processes starting together.
const FIRST_KEY_LOCK = 7_302_002;

export class ApiKeysRepository {
  constructor(private readonly db: Queryable) {}

  async create(name: string, prefix: string, hash: string): Promise<StoredApiKey> {
    const { rows } = await this.db.query<ApiKeyRow>(
      "INSERT INTO api_keys (name, key_prefix, key_hash) VALUES ($1, $2, $3) RETURNING *",
      [name, prefix, hash],
    );
    return toApiKey(rows[0]!);
  }

  /** Creates the key only when no active key exists yet; null when one does. */
  async createIfNoneActive(name: string, prefix: string, hash: string): Promise<StoredApiKey | null> {
    const { rows } = await this.db.query<ApiKeyRow>(
      `WITH lock AS (SELECT pg_advisory_xact_lock(${FIRST_KEY_LOCK}))
       INSERT INTO api_keys (name, key_prefix, key_hash)
       SELECT $1, $2, $3 FROM lock WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL)
       RETURNING *`,
      [name, prefix, hash],
    );
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async findActiveByHash(hash: string): Promise<StoredApiKey | null> {
    const { rows } = await this.db.query<ApiKeyRow>(
      "SELECT * FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
      [hash],
    );
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async list(): Promise<StoredApiKey[]> {
    const { rows } = await this.db.query<ApiKeyRow>("SELECT * FROM api_keys ORDER BY id");
    return rows.map(toApiKey);
  }

  async revoke(id: number): Promise<StoredApiKey | null> {
    const { rows } = await this.db.query<ApiKeyRow>(
      "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *",
      [id],
    );
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async countActive(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      "SELECT count(*)::integer AS n FROM api_keys WHERE revoked_at IS NULL",
    );
    return rows[0]?.n ?? 0;
  }
}
