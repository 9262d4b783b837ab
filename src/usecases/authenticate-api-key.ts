import { hashApiKey } from "../core/api-keys.js";
import type { ApiKeyStore } from "./ports.js";

export interface Caller {
  /** Stable per key and safe to log or use as a rate-limit bucket: never the key itself. */
  id: string;
  name: string;
}

/**
 * Checks a presented API key against the keys from the environment and those in PostgreSQL. A
 * key found in the database is trusted for a few seconds, so a busy API does not look every
 * request up; revoking a key therefore takes effect within that many seconds.
 */
export class ApiKeyAuthenticator {
  private readonly environmentKeys: Map<string, Caller>;
  private readonly cache = new Map<string, { caller: Caller | null; until: number }>();

  constructor(
    private readonly apiKeys: Pick<ApiKeyStore, "findActiveByHash">,
    environmentKeys: readonly string[],
    private readonly cacheSeconds: number,
  ) {
    this.environmentKeys = new Map(
      environmentKeys.map((key, index) => {
        const hash = hashApiKey(key);
        return [hash, { id: `env-${hash.slice(0, 12)}`, name: `API_KEYS #${index + 1}` }];
      }),
    );
  }

  async authenticate(presented: string): Promise<Caller | null> {
    const hash = hashApiKey(presented);
    const fromEnvironment = this.environmentKeys.get(hash);
    if (fromEnvironment) return fromEnvironment;
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.caller;
    const stored = await this.apiKeys.findActiveByHash(hash);
    const caller = stored ? { id: `key-${stored.id}`, name: stored.name } : null;
    if (this.cacheSeconds > 0) {
      // Bounded: guessing keys must not grow memory without limit.
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { caller, until: now + this.cacheSeconds * 1000 });
    }
    return caller;
  }
}
