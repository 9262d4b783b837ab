/**
 * The live feed: GET /api/notifications/events read with fetch, so the key travels in the
 * Authorization header (EventSource cannot send one, and a key in a URL ends up in logs).
 * Reconnects with backoff; every (re)connection says "ready", after which views reload.
 */
import { Unauthorized } from "./api.js";
import type { LiveEvent } from "./live-events.js";

export type { LiveEvent } from "./live-events.js";

export type LiveState = "connecting" | "live" | "offline";

export class LiveFeed {
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  private abort: AbortController | null = null;
  private stopped = false;
  state: LiveState = "connecting";

  constructor(
    private readonly authorization: Record<string, string>,
    private readonly onUnauthorized: () => void,
  ) {}

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: LiveState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.connectOnce();
        failures = 0;
      } catch (error) {
        if (error instanceof Unauthorized) return;
        failures += 1;
      }
      if (this.stopped) return;
      this.setState(failures > 2 ? "offline" : "connecting");
      // 1 s, 2 s, 4 s ... up to 30 s, with jitter so many tabs do not reconnect together.
      const delay = Math.min(30_000, 1_000 * 2 ** Math.min(failures, 5)) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async connectOnce(): Promise<void> {
    this.abort = new AbortController();
    const response = await fetch("/api/notifications/events/", {
      headers: { accept: "text/event-stream", ...this.authorization },
      signal: this.abort.signal,
      cache: "no-store",
    });
    if (response.status === 401) {
      this.onUnauthorized();
      throw new Unauthorized(401, "The API key was not accepted.");
    }
    if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replaceAll("\r\n", "\n");
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        this.handleFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
      }
    }
  }

  private handleFrame(frame: string): void {
    const data = frame
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).trimStart())
      .join("\n");
    if (!data) return;
    let event: LiveEvent;
    try {
      event = JSON.parse(data) as LiveEvent;
    } catch {
      return;
    }
    if (event.type === "ready") this.setState("live");
    for (const listener of this.listeners) listener(event);
  }
}
