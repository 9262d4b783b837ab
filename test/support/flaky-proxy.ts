/**
 * A loopback HTTP proxy in front of the real service that breaks chosen requests the way a load
 * balancer or a network does: it forwards the request (the service does the work), then answers
 * 503/429 with a Retry-After, or drops the connection, instead of passing the reply on. Tests in
 * any language script it over HTTP: POST /__proxy/fail-next, GET /__proxy/requests.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Failure {
  method: string;
  /** The request path without its query. */
  path: string;
  /** Answer this status instead of the service's reply; omit with `drop`. */
  status?: number;
  retryAfter?: string;
  /** Close the connection without a reply, after forwarding. */
  drop?: boolean;
  /** Leave the request out: answer without forwarding it. */
  beforeForwarding?: boolean;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  /** What the client got: the service's status, the scripted one, or "dropped". */
  answered: number | "dropped";
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host"]);

export class FlakyProxy {
  readonly requests: ProxiedRequest[] = [];
  private readonly failures: Failure[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<FlakyProxy> {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const proxy = new FlakyProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on("request", (req, res) => {
      proxy.handle(req, target).then(
        ({ status, headers, body }) => {
          if (status === "dropped") return res.destroy();
          res.writeHead(status, headers).end(body);
        },
        () => res.destroy(),
      );
    });
    return proxy;
  }

  failNext(failure: Failure): void {
    this.failures.push(failure);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(
    req: IncomingMessage,
    target: string,
  ): Promise<{ status: number | "dropped"; headers?: Record<string, string>; body?: Buffer }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    if (path === "/__proxy/fail-next" && method === "POST") {
      this.failNext(JSON.parse(body.toString("utf8")) as Failure);
      return { status: 204 };
    }
    if (path === "/__proxy/requests" && method === "GET") {
      return { status: 200, headers: { "content-type": "application/json" }, body: json(this.requests) };
    }
    const record: ProxiedRequest = {
      method,
      path,
      idempotencyKey: header(req, "idempotency-key"),
      answered: 0,
    };
    this.requests.push(record);
    const index = this.failures.findIndex((f) => f.method === method && f.path === path);
    const failure = index === -1 ? undefined : this.failures.splice(index, 1)[0];
    if (!failure?.beforeForwarding) {
      const forwarded = await forward(req, target, method, body);
      if (!failure) {
        record.answered = forwarded.status;
        return forwarded;
      }
    }
    if (failure?.drop) {
      record.answered = "dropped";
      return { status: "dropped" };
    }
    const status = failure?.status ?? 503;
    record.answered = status;
    return {
      status,
      headers: {
        "content-type": "application/json",
        ...(failure?.retryAfter === undefined ? {} : { "retry-after": failure.retryAfter }),
      },
      body: json({ detail: `The proxy answered ${status} on purpose.` }),
    };
  }
}

async function forward(req: IncomingMessage, target: string, method: string, body: Buffer) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = [value].flat().join(", ");
  }
  const response = await fetch(`${target}${req.url ?? "/"}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body,
  });
  const answer = Buffer.from(await response.arrayBuffer());
  const replyHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== "content-encoding") replyHeaders[name] = value;
  });
  return { status: response.status, headers: replyHeaders, body: answer };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return value === undefined ? null : [value].flat().join(", ");
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
