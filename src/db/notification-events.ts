/**
 * Changes to notifications, as PostgreSQL announces them (NOTIFY from the triggers of migration
 * 005, sent on commit by whichever process made the change). One connection per process LISTENs,
 * opened when the first watcher subscribes, and fans the events out to every watcher.
 */
import pg from "pg";
import type { Logger } from "../core/logger.js";
import type { NotificationEvent, NotificationEventFeed } from "../usecases/ports.js";

export const NOTIFICATION_EVENTS_CHANNEL = "notification_events";
const RECONNECT_DELAY_MS = 1_000;

export class PgNotificationEventFeed implements NotificationEventFeed {
  private readonly listeners = new Set<(event: NotificationEvent) => void>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  async subscribe(listener: (event: NotificationEvent) => void): Promise<() => void> {
    if (this.closed) throw new Error("the event feed is closed");
    this.listeners.add(listener);
    try {
      await this.connect();
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      connectionTimeoutMillis: 5_000,
      application_name: "notification-service-events",
    });
    client.on("notification", (message) => {
      if (message.channel !== NOTIFICATION_EVENTS_CHANNEL || !message.payload) return;
      try {
        this.emit(JSON.parse(message.payload) as NotificationEvent);
      } catch {
        // Only our own triggers send here; a payload we cannot read is skipped, not fatal.
      }
    });
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, null));
    await client.connect();
    await client.query(`LISTEN ${NOTIFICATION_EVENTS_CHANNEL}`);
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  private emit(event: NotificationEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Reconnects while anyone is watching, then tells them to reload: events were missed meanwhile. */
  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    client.end().catch(() => {});
    this.logger.warn(
      { err: error?.message },
      "lost the PostgreSQL connection for live updates; reconnecting",
    );
    const retry = () => {
      this.reconnectTimer = null;
      if (this.closed || this.listeners.size === 0) return;
      this.connect().then(
        () => this.emit({ type: "resync" }),
        () => {
          this.reconnectTimer = setTimeout(retry, RECONNECT_DELAY_MS);
        },
      );
    };
    this.reconnectTimer = setTimeout(retry, RECONNECT_DELAY_MS);
  }
}
