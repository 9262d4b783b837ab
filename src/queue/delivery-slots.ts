/**
 * At most `size` deliveries in flight in this process, whichever jobs they came in: a batch job
 * carries many, and BullMQ's own concurrency counts jobs. Waiting deliveries start in order.
 */
export class DeliverySlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  private open = true;

  constructor(size: number) {
    this.free = size;
  }

  /** Runs `task` in a slot; resolves false, without running it, once the slots are closed. */
  async run(task: () => Promise<unknown>): Promise<boolean> {
    if (!this.open) return false;
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      if (!this.open) return false;
      await task();
      return true;
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }

  /** Starts nothing more: waiting tasks are told so at once; those in flight carry on. */
  close(): void {
    this.open = false;
    for (const wake of this.waiting.splice(0)) wake();
  }
}
