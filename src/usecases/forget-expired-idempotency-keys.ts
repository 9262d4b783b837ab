import { deleteInBatches } from "./delete-in-batches.js";
import type { IdempotencyKeyStore } from "./ports.js";

export interface ForgetKeysDeps {
  idempotencyKeys: Pick<IdempotencyKeyStore, "deleteExpired">;
  idempotencyTtlHours: number;
}

/**
 * Deletes Idempotency-Keys past their TTL so the table does not grow forever. Only housekeeping:
 * an expired key is already treated as unused when it comes again. Safe in many workers at once.
 */
export function forgetExpiredIdempotencyKeys(deps: ForgetKeysDeps, batch = 1000): Promise<number> {
  return deleteInBatches(
    (limit) => deps.idempotencyKeys.deleteExpired(deps.idempotencyTtlHours, limit),
    batch,
  );
}
