/**
 * Sends one signed webhook over HTTP: a POST of JSON, no redirects followed (a 3xx is a failure,
 * like any status outside 2xx), a whole-request timeout, and the first 1 KB of the answer kept.
 * Unless private networks are allowed, the address each connection goes to is checked as it is
 * resolved (a lookup hook on the socket), so a name that resolved to a public address when the
 * endpoint was created cannot be pointed at an internal one afterwards.
 */
import { type LookupAddress, type LookupOptions, lookup } from "node:dns";
import { Agent, request } from "undici";
import { ipLiteralHost, refusedAddressReason } from "./webhook-address.js";

/** How much of an endpoint's answer is kept with the attempt. */
export const RESPONSE_BODY_LIMIT = 1024;

export interface WebhookSendResult {
  ok: boolean;
  /** The HTTP status, or null when no answer came (refused, timed out, connection failed). */
  status: number | null;
  /** The first 1 KB of the answer's body. */
  body: string | null;
  /** Why it did not succeed, in words; null on success. */
  error: string | null;
  durationMs: number;
}

export interface WebhookSenderOptions {
  timeoutSeconds: number;
  allowPrivateNetworks: boolean;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A dns.lookup for sockets that fails when the name resolves to an address webhooks may not reach. */
function checkedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    for (const { address } of addresses) {
      const reason = refusedAddressReason(address);
      if (reason)
        return callback(new RefusedAddressError(`${hostname} resolves to ${address}, ${reason}`), []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(new RefusedAddressError(`${hostname} does not resolve`), []);
    callback(null, first.address, first.family);
  });
}

class RefusedAddressError extends Error {
  override name = "RefusedAddressError";
}

export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly options: WebhookSenderOptions) {
    this.agent = new Agent({
      connect: options.allowPrivateNetworks ? {} : { lookup: checkedLookup },
      keepAliveTimeout: 10_000,
    });
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<WebhookSendResult> {
    const startedAt = performance.now();
    const elapsed = () => Math.round(performance.now() - startedAt);
    const failed = (error: string, status: number | null = null, answer: string | null = null) => ({
      ok: false,
      status,
      body: answer,
      error,
      durationMs: elapsed(),
    });
    if (!this.options.allowPrivateNetworks) {
      // A literal IP address is connected to without a lookup, so it is checked here.
      const literal = ipLiteralHost(new URL(url));
      const reason = literal ? refusedAddressReason(literal) : null;
      if (reason) return failed(`refused: ${literal} is ${reason}`);
    }
    const timeoutMs = this.options.timeoutSeconds * 1000;
    try {
      const response = await request(url, {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          "user-agent": "notification-service-webhooks",
        },
        body,
        // undici 7 follows no redirect unless told to; a 3xx is reported as the failure it is.
        dispatcher: this.agent,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const answer = await readStart(response.body);
      const status = response.statusCode;
      if (status >= 200 && status < 300)
        return { ok: true, status, body: answer, error: null, durationMs: elapsed() };
      const location = status >= 300 && status < 400 ? response.headers.location : undefined;
      return failed(
        location ? `answered ${status} (redirects are not followed)` : `answered ${status}`,
        status,
        answer,
      );
    } catch (error) {
      return failed(describeError(error, this.options.timeoutSeconds));
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

async function readStart(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_BODY_LIMIT) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString("utf8");
}

function describeError(error: unknown, timeoutSeconds: number): string {
  if (!(error instanceof Error)) return "the request failed";
  if (error.name === "TimeoutError" || error.name === "AbortError")
    return `no answer within ${timeoutSeconds} s`;
  let cause: unknown = error;
  while (cause instanceof Error) {
    if (cause instanceof RefusedAddressError) return `refused: ${cause.message}`;
    cause = cause.cause;
  }
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${error.message} (${code})` : error.message;
}
