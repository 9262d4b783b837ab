/**
 * Combines the calls made in the same event-loop tick into one batch, so concurrent requests
 * share one database round trip and one commit instead of paying for one each. Each caller still
 * gets its own result or its own error.
 */
export class TickBatcher<Item, Result> {
  private pending: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  /** `run` answers each item, in order, with its result or an Error for that item alone. */
  constructor(
    private readonly run: (items: Item[]) => Promise<(Result | Error)[]>,
    private readonly maxBatch = 500,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.run(batch.map((entry) => entry.item)).then(
      (results) =>
        batch.forEach((entry, index) => {
          const result = results[index];
          if (result instanceof Error) entry.reject(result);
          else entry.resolve(result as Result);
        }),
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  }
}
