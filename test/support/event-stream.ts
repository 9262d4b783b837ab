/** Reads a server-sent event stream with fetch, as the dashboard does, for tests to wait on. */
import { waitFor } from "./wait-for.js";

export interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface EventStreamReader {
  status: number;
  contentType: string | null;
  events: StreamEvent[];
  /** Waits for the first event (from the start of the stream) that matches. */
  waitFor(what: string, match: (event: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>;
  /** Resolves once the server has ended the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function readEventStream(url: string, apiKey: string): Promise<EventStreamReader> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` }, signal: abort.signal });
  const events: StreamEvent[] = [];
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          const fields = Object.fromEntries(
            frame
              .split("\n")
              .filter((line) => line && !line.startsWith(":"))
              .map((line) => [
                line.slice(0, line.indexOf(":")),
                line.slice(line.indexOf(":") + 1).trimStart(),
              ]),
          );
          if (fields.data !== undefined)
            events.push({ event: fields.event ?? "message", data: JSON.parse(fields.data) });
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    events,
    waitFor: (what, match, timeoutMs = 10_000) => waitFor(what, () => events.find(match), timeoutMs),
    ended,
    close: () => abort.abort(),
  };
}
