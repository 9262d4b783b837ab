/**
 * The server half of the loopback provider fakes (SMS.ru, Telegram): a free port on 127.0.0.1,
 * each request's body read whole, and replies given as scripted, including the ones no real
 * server gives on purpose: silence for a while, or a connection dropped without a word.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeReply =
  | { status?: number; body: unknown }
  | { status?: number; raw: string; contentType?: string }
  /** Says nothing for `hangMs`, then sends `then` (or the default reply) if the client still waits. */
  | { hangMs: number; then?: FakeReply }
  /** Closes the connection without a reply. */
  | { drop: true };

/**
 * What a fake does with a request: records it, and answers with the reply to give now and the
 * default reply (asked for only when a hang without `then` runs out). A reply that is a promise
 * is given when it settles (a long poll answered when something happens).
 */
export type RequestHandler = (
  req: IncomingMessage,
  body: string,
) => { reply: FakeReply | Promise<FakeReply>; fallback: () => FakeReply };

export class ScriptedHttpServer {
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(handle: RequestHandler): Promise<ScriptedHttpServer> {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const scripted = new ScriptedHttpServer(server, `http://127.0.0.1:${port}`);
    server.on("request", (req, res) =>
      readBody(req)
        .then(async (body) => {
          const { reply, fallback } = handle(req, body);
          scripted.answer(res, await reply, fallback);
        })
        // A client that gives up mid-request is not the fake's problem.
        .catch(() => res.destroy()),
    );
    return scripted;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(res: ServerResponse, reply: FakeReply, fallback: () => FakeReply): void {
    if ("drop" in reply) {
      res.socket?.destroy();
    } else if ("hangMs" in reply) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) this.answer(res, reply.then ?? fallback(), fallback);
      }, reply.hangMs);
      this.timers.add(timer);
    } else if ("raw" in reply) {
      res.writeHead(reply.status ?? 200, { "content-type": reply.contentType ?? "text/html" }).end(reply.raw);
    } else {
      res
        .writeHead(reply.status ?? 200, { "content-type": "application/json" })
        .end(JSON.stringify(reply.body));
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
