/**
 * A path that exists, asked with a method it does not take, answers as Django REST Framework
 * does: 405, `{"detail": "Method \"PUT\" not allowed."}` and an `Allow` header. Only requests
 * that matched no route ask (from the not-found and error handlers), so a matched route pays
 * nothing. Fastify's `findRoute` looks a URL up with the same router call that routes requests
 * (find-my-way's `find`: trailing slash, query string and parameters handled as for a request).
 */
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * The methods asked about, in the order `Allow` lists them. OPTIONS is left out: it answers
 * CORS preflights only (when CORS_ORIGINS is set, on every path), and authentication lets it
 * through, so a 405 for it would map the API for anyone without a key.
 */
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/** The methods `request.url` takes, when its own method is not one of them; null otherwise. */
export function otherMethodsOfPath(request: FastifyRequest): string[] | null {
  if (request.method === "OPTIONS") return null;
  const allowed = METHODS.filter((method) => request.server.findRoute({ method, url: request.url }) !== null);
  if (allowed.length === 0 || (allowed as string[]).includes(request.method)) return null;
  return allowed;
}

export function sendMethodNotAllowed(
  reply: FastifyReply,
  method: string,
  allowed: readonly string[],
): FastifyReply {
  return reply
    .code(405)
    .header("allow", allowed.join(", "))
    .send({ detail: `Method ${JSON.stringify(method)} not allowed.` });
}
