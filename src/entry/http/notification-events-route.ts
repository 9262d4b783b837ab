/**
 * GET /api/notifications/events: a server-sent event stream of notification and recipient
 * changes, for the dashboard's live views. It is an ordinary authenticated request (Authorization: Bearer), read
 * with fetch() rather than EventSource, which cannot send headers: the key never goes in a URL.
 */
import type { ServerResponse } from "node:http";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { NotificationEvent } from "../../usecases/ports.js";
import type { HttpDeps } from "./http-deps.js";
import { ErrorBody } from "./schemas.js";

const HEARTBEAT_MS = 15_000;
/** A client this far behind is dropped; it reconnects and reloads (as on every connection). */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** How long a stream's connection may stay open once the server closes and has ended the stream. */
const END_AT_CLOSE_MS = 1_000;

export const notificationEventsRoute: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  const open = new Set<ServerResponse>();
  // Open streams would keep the server from closing, so each is ended, and its connection cut if
  // it is still open a moment later. server.close() closes an idle connection whose response has
  // ended, but not one busy with a request that began behind the stream (HTTP/1.1 pipelining),
  // and ending a stream waits until its client has read what is still buffered, which one that
  // stopped reading never does: the close would wait for such a connection until the shutdown
  // deadline, and the process exit 1 instead of 0. Its client reconnects and reloads anyway.
  app.addHook("preClose", async () => {
    for (const stream of open) {
      const socket = stream.socket;
      stream.end();
      if (!socket || socket.destroyed) continue;
      const cut = setTimeout(() => socket.destroy(), END_AT_CLOSE_MS);
      socket.once("close", () => clearTimeout(cut));
    }
  });

  app.get(
    "/api/notifications/events/",
    {
      schema: {
        tags: ["notifications"],
        operationId: "streamNotificationEvents",
        summary: "Live changes, as server-sent events",
        description: [
          "A text/event-stream that stays open. Each event's data is JSON:",
          '`created` and `updated` `{"type", "id", "status"}` when a notification is created, changes status or is scheduled for its next round, one per notification also when many change at once (a broadcast fanned out or cancelled, a stopping worker freeing what it held);',
          '`attempt` `{"type", "id", "channel", "status"}` when one of its attempts starts or ends, or a delivery receipt changes it (the status is then its delivery: `delivered`, `undelivered` or `unknown`, or `accepted` for an in-transit report with a new code);',
          '`user` `{"type", "id", "change"}` when a recipient is created, changed (profile, preferences, a Telegram chat connected through a connect link) or erased: `id` is the user\'s, `change` is `created`, `updated` or `erased`; contacts are never in an event, read the user for them;',
          '`suppression` `{"type", "id", "change"}` when a suppression is `created` (a provider proved an address dead, or the API or CLI added one) or `deleted` (removed, or lifted by a connect link): `id` is the suppression\'s, and no address is in the event;',
          "`ready` once the stream is live, and `resync` when changes may have been missed or were not told one by one (retention deleted old notifications): reload what you show.",
          "Ignore event types you do not know: new ones may come. Send the API key as a Bearer header (read the stream with fetch; EventSource cannot send headers).",
        ].join(" "),
        response: {
          200: {
            description: "The event stream",
            content: {
              "text/event-stream": {
                schema: { type: "string" },
                example:
                  'event: ready\ndata: {"type":"ready"}\n\nevent: created\ndata: {"type":"created","id":41,"status":"pending"}\n\nevent: attempt\ndata: {"type":"attempt","id":41,"channel":"sms","status":"sent"}\n\n',
              },
            },
          },
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const stream = reply.raw;
      let live = false;
      const early: NotificationEvent[] = [];
      const send = (event: NotificationEvent | { type: "ready" }) => {
        if (stream.destroyed) return;
        stream.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        // Cut, not ended: ending waits for the client to read what is buffered, which one that
        // stopped reading never does, so "close" never came to unsubscribe it, and every later
        // event or heartbeat was a write after the end, an error event that crashed the process.
        if (stream.writableLength > MAX_BUFFERED_BYTES) stream.destroy();
      };
      let unsubscribe: () => void;
      try {
        unsubscribe = await deps.core.notificationEvents.subscribe((event) => {
          if (live) send(event);
          else early.push(event);
        });
      } catch (error) {
        request.log.warn({ err: (error as Error).message }, "live updates unavailable");
        return reply.code(503).header("retry-after", "5").send({
          detail: "Live updates are unavailable right now: Redis does not answer. Try again shortly.",
        });
      }
      reply.hijack();
      stream.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        // Proxies such as nginx must pass events on as they come.
        "x-accel-buffering": "no",
        connection: "keep-alive",
      });
      stream.write("retry: 3000\n\n");
      send({ type: "ready" });
      live = true;
      for (const event of early.splice(0)) send(event);
      open.add(stream);
      const heartbeat = setInterval(() => {
        if (!stream.destroyed) stream.write(": keep-alive\n\n");
      }, HEARTBEAT_MS);
      const stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(stream);
      };
      // The response closes when the client goes away, or when we end it. A client that left while
      // its request was on the way here (authentication, the rate limit, the subscription) closed
      // it already, and "close" is emitted once: without this check its subscription, heartbeat
      // and entry in `open` would stay for the life of the process.
      stream.on("close", stop);
      if (stream.destroyed) stop();
    },
  );
};
