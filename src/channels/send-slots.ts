/**
 * At most `size` provider calls at once in this process; the others wait their turn in order.
 * A provider whose client queues calls itself (nodemailer's pool of SMTP connections) admits
 * through this before the worker starts an attempt, so that waiting for a connection never counts
 * against the provider's timeout: a burst larger than the pool would otherwise time out in the
 * queue and fall back to the next channel though the server was fine.
 */
export class SendSlots {
  private admitted = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Resolves with the function that gives the slot back, once one is free. */
  async take(): Promise<() => void> {
    if (this.admitted >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.admitted += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next in line; only when nobody waits is it freed.
      if (next) next();
      else this.admitted -= 1;
    };
  }
}
