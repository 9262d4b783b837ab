import type { WorkWakeUps } from "../usecases/ports.js";

/**
 * Wake-ups within one process, for a deployment without Redis (the API and the worker then run
 * in the same process). Wakes coalesce: however many notifications a tick creates, idle workers
 * are woken once, on the next turn of the event loop, never inside the caller's stack.
 */
export class InProcessWorkWakeUps implements WorkWakeUps {
  private readonly listeners = new Set<() => void>();
  private pending: NodeJS.Immediate | null = null;

  wake(): void {
    if (this.pending || this.listeners.size === 0) return;
    this.pending = setImmediate(() => {
      this.pending = null;
      for (const listener of this.listeners) listener();
    });
  }

  async listen(listener: () => void): Promise<() => void> {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
    this.listeners.clear();
  }
}
