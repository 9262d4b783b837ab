import { isDatabaseUnavailable } from "./database.js";

/**
 * Combines the calls made in the same event-loop tick into one batch, so concurrent requests
 * share one database round trip and one commit instead of paying for one each. Each caller still
 * gets its own result or its own error.
 *
 * With `maxInFlight`, at most that many batches run at once and the calls made meanwhile wait
 * for the next one: under load the batches grow with the load (one statement, one plan and one
 * commit for many rows), while a lone call still goes out on the next tick.
 */
export class TickBatcher<Item, Result> {
  private pending: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;
  private inFlight = 0;

  /** `run` answers each item, in order, with its result or an Error for that item alone. */
  constructor(
    private readonly run: (items: Item[]) => Promise<(Result | Error)[]>,
    private readonly maxBatch = 500,
    private readonly maxInFlight = Number.POSITIVE_INFINITY,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch && this.inFlight < this.maxInFlight) this.flush();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0 || this.inFlight >= this.maxInFlight) return;
    const batch = this.pending.splice(0, this.maxBatch);
    this.inFlight += 1;
    this.run(batch.map((entry) => entry.item))
      .then(
        (results) =>
          batch.forEach((entry, index) => {
            const result = results[index];
            if (result instanceof Error) entry.reject(result);
            else entry.resolve(result as Result);
          }),
        (error: unknown) => {
          for (const entry of batch) entry.reject(error);
        },
      )
      .finally(() => {
        this.inFlight -= 1;
        if (this.pending.length > 0) this.schedule();
      });
  }
}

/**
 * Runs a batch statement so that each caller fares as it would have alone:
 * - items that share a key (the same notification twice in one tick) go in separate statements,
 *   one after the other, because a statement that joins on that key would see both at once;
 * - when a statement fails, it changed nothing, so each of its items is tried again on its own
 *   and a value only one item carries (text PostgreSQL refuses, a deadlock with another worker)
 *   fails that item's caller alone. Not when the database is away: every item would fail again.
 */
export async function runAsIfAlone<Item, Result>(
  items: Item[],
  keyOf: (item: Item) => unknown,
  run: (items: Item[]) => Promise<Result[]>,
): Promise<(Result | Error)[]> {
  const results: (Result | Error)[] = new Array(items.length);
  let remaining = items.map((item, index) => ({ item, index }));
  while (remaining.length > 0) {
    const seen = new Set<unknown>();
    const batch: typeof remaining = [];
    const later: typeof remaining = [];
    for (const entry of remaining) {
      const key = keyOf(entry.item);
      if (seen.has(key)) later.push(entry);
      else {
        seen.add(key);
        batch.push(entry);
      }
    }
    const answers = await runEachOnFailure(
      batch.map((entry) => entry.item),
      run,
    );
    batch.forEach((entry, position) => {
      results[entry.index] = answers[position]!;
    });
    remaining = later;
  }
  return results;
}

async function runEachOnFailure<Item, Result>(
  items: Item[],
  run: (items: Item[]) => Promise<Result[]>,
): Promise<(Result | Error)[]> {
  try {
    return await run(items);
  } catch (error) {
    if (items.length === 1 || isDatabaseUnavailable(error)) return items.map(() => asError(error));
    return Promise.all(
      items.map((item) =>
        run([item]).then(
          (answers) => answers[0]!,
          (failure: unknown) => asError(failure),
        ),
      ),
    );
  }
}

const asError = (failure: unknown): Error =>
  failure instanceof Error ? failure : new Error(String(failure));
