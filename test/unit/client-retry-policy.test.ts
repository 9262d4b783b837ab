/** The TypeScript client's retry policy: what is repeated, after how long, with the same request. */
import { describe, expect, it } from "vitest";
import {
  backoffMs,
  retryAfterMs,
  retryingFetch,
  withRetryDefaults,
} from "../../clients/typescript/src/retry-policy.js";

const answer = (status: number, headers: Record<string, string> = {}) =>
  new Response("{}", { status, headers });

function scripted(replies: (Response | Error | "hang")[], timeoutMs?: number) {
  const seen: { method: string; key: string | null; body: string }[] = [];
  const waits: number[] = [];
  const inFlight: Request[] = [];
  const fetch = retryingFetch(
    async (request) => {
      seen.push({
        method: request.method,
        key: request.headers.get("idempotency-key"),
        body: await request.text(),
      });
      const reply = replies.shift() ?? answer(200);
      if (reply === "hang") {
        // Never answers; only the client's timeout ends it (it may have fired already, under load).
        // Held, as a real fetch holds its request: nothing else keeps its signal alive until then.
        inFlight.push(request);
        return new Promise<Response>((_resolve, reject) => {
          if (request.signal.aborted) reject(request.signal.reason);
          request.signal.addEventListener("abort", () => reject(request.signal.reason));
        });
      }
      if (reply instanceof Error) throw reply;
      return reply;
    },
    withRetryDefaults({ random: () => 0.5, sleep: async (ms) => void waits.push(ms), timeoutMs }),
  );
  return { fetch, seen, waits };
}

describe("the client's retry policy", () => {
  it("backs off with full jitter under a doubling ceiling, capped", () => {
    const options = withRetryDefaults({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5 });
    expect([0, 1, 2, 3, 4, 10].map((retry) => backoffMs(retry, options))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(retryAfterMs("3")).toBe(3_000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
    const now = Date.parse("2026-12-02T10:00:00Z");
    expect(retryAfterMs("Wed, 02 Dec 2026 10:00:07 GMT", now)).toBe(7_000);
  });

  it("sends a keyed create again, body and key unchanged, after a 503, a network error and a 429's Retry-After", async () => {
    const { fetch, seen, waits } = scripted([
      answer(503),
      new TypeError("fetch failed"),
      answer(429, { "retry-after": "2" }),
    ]);
    const request = new Request("http://service.test/api/notifications/", {
      method: "POST",
      headers: { "idempotency-key": "k-1" },
      body: '{"user":1}',
    });
    expect((await fetch(request)).status).toBe(200);
    expect(seen).toEqual(Array(4).fill({ method: "POST", key: "k-1", body: '{"user":1}' }));
    expect(waits).toEqual([125, 250, 2_000]);
  });

  it("never repeats a POST without a key, and gives up after the last retry or on a long Retry-After", async () => {
    const unkeyed = scripted([answer(503)]);
    const post = new Request("http://service.test/api/users/", { method: "POST", body: "{}" });
    expect((await unkeyed.fetch(post)).status).toBe(503);
    expect(unkeyed.seen).toHaveLength(1);

    const exhausted = scripted([answer(503), answer(503), answer(503), answer(503), answer(200)]);
    expect((await exhausted.fetch(new Request("http://service.test/api/users/1/"))).status).toBe(503);
    expect(exhausted.seen).toHaveLength(4);

    const tooLong = scripted([answer(503, { "retry-after": "3600" })]);
    expect((await tooLong.fetch(new Request("http://service.test/api/users/1/"))).status).toBe(503);
    expect(tooLong.seen).toHaveLength(1);
  });

  it("gives up on a try that gets no answer in time, and tries again", async () => {
    const { fetch, seen } = scripted(["hang"], 20);
    expect((await fetch(new Request("http://service.test/api/users/1/"))).status).toBe(200);
    expect(seen).toHaveLength(2);

    const once = scripted(["hang"], 20);
    const post = new Request("http://service.test/api/users/", { method: "POST", body: "{}" });
    await expect(once.fetch(post)).rejects.toMatchObject({ name: "TimeoutError" });
  });
});
