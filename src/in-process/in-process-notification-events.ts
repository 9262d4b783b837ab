import type {
  NotificationEvent,
  NotificationEventFeed,
  NotificationEventPublisher,
} from "../usecases/ports.js";

/**
 * Live changes for dashboards within one process, for a deployment without Redis: the writers
 * (API and worker) and the watchers are in the same process. Delivered on a later tick, so a
 * slow watcher never sits inside a request or a delivery.
 */
export class InProcessNotificationEvents implements NotificationEventPublisher, NotificationEventFeed {
  private readonly listeners = new Set<(event: NotificationEvent) => void>();
  private pending: NotificationEvent[] = [];
  private scheduled: NodeJS.Immediate | null = null;

  publish(event: NotificationEvent): void {
    if (this.listeners.size === 0) return;
    this.pending.push(event);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  async subscribe(listener: (event: NotificationEvent) => void): Promise<() => void> {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.flush();
    this.listeners.clear();
  }

  private flush(): void {
    this.scheduled = null;
    const events = this.pending;
    this.pending = [];
    for (const event of events) for (const listener of this.listeners) listener(event);
  }
}
