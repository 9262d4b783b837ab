/**
 * One HTTP POST to a vendor API with undici's request (keep-alive connections, no fetch
 * machinery per call: this runs once per delivery), turned into either the vendor's reply (status,
 * raw text and the JSON body when it parses) or a transient outcome for everything that kept a
 * reply from arriving: network errors, the caller's timeout, a connection dropped mid-body.
 * Error texts pass through `redact`, since fetch errors can quote the URL and its secrets.
 * Redirects are not followed (a POST turned into a GET would lose its body), so a 3xx reaches
 * the provider, which reports the API URL as misconfigured.
 */
import { Agent, request } from "undici";
import { type TransientOutcome, transient } from "../core/outcome.js";
import { abortReason } from "./abort.js";
import { redact } from "./redact.js";

export interface ApiReply {
  status: number;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

// One pool of keep-alive connections per origin for the whole process.
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });

export type PostResult = { reply: ApiReply } | { failure: TransientOutcome };

export async function postToApi(
  url: string,
  init: { headers: Record<string, string>; body: string },
  signal: AbortSignal,
  secrets: readonly string[],
): Promise<PostResult> {
  try {
    const response = await request(url, { method: "POST", ...init, signal, dispatcher: agent });
    const text = await response.body.text();
    return { reply: { status: response.statusCode, text, json: parseJson(text) } };
  } catch (error) {
    if (signal.aborted) return { failure: transient(abortReason(signal)) };
    return { failure: transient(redact(`network error: ${describe(error)}`, secrets)) };
  }
}

/** Whether a parsed reply is a JSON object (not null, not an array): the shape vendor replies take. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Some errors say little themselves; the useful part (ECONNREFUSED, ECONNRESET...) is in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** A short, single-line excerpt of a reply body for reasons, so an HTML error page stays readable. */
export function excerpt(text: string, max = 200): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
