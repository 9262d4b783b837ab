import type { IdempotencyKeysRepository } from "../db/idempotency-keys-repository.js";

export interface ForgetKeysDeps {
  idempotencyKeys: IdempotencyKeysRepository;
  idempotencyTtlHours: number;
}

/**
 * Deletes Idempotency-Keys past their TTL so the table does not grow forever. Only housekeeping:
 * an expired key is already treated as unused when it comes again. Safe in many workers at once.
 */
export async function forgetExpiredIdempotencyKeys(deps: ForgetKeysDeps, batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    // Small batches keep each DELETE short next to the inserts of the API.
    const deleted = await deps.idempotencyKeys.deleteExpired(deps.idempotencyTtlHours, batch);
    total += deleted;
    if (deleted < batch) return total;
  }
}
