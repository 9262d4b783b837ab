/**
 * Runs a bounded DELETE (`deleteBatch(limit)` deletes at most `limit` rows and says how many) until
 * one deletes fewer than `batch`: small batches keep each statement short next to live traffic.
 * Safe in many workers at once. Returns how many rows were deleted in all.
 */
export async function deleteInBatches(
  deleteBatch: (limit: number) => Promise<number>,
  batch: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(batch);
    total += deleted;
    if (deleted < batch) return total;
  }
}
