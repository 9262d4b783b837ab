import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ApiKeyAuthenticator, Caller } from "../../usecases/authenticate-api-key.js";

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

const PROTECTED_PREFIX = "/api/";

/**
 * Every /api/ request needs `Authorization: Bearer <key>`; the docs and health endpoints stay
 * public. With `disabled` (AUTH_DISABLED=true, on purpose) every request passes.
 */
export function registerAuthentication(
  app: FastifyInstance,
  authenticator: ApiKeyAuthenticator,
  disabled: boolean,
): void {
  app.decorateRequest("caller", null);
  if (disabled) return;
  app.addHook("onRequest", async (request, reply) => {
    if (!isProtected(request) || request.method === "OPTIONS") return;
    const presented = bearerToken(request.headers.authorization);
    if (!presented) {
      return reply.code(401).header("www-authenticate", 'Bearer realm="api"').send({
        detail: "Authentication credentials were not provided: send Authorization: Bearer <API key>.",
      });
    }
    const caller = await authenticator.authenticate(presented);
    if (!caller) {
      return reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="api", error="invalid_token"')
        .send({ detail: "Invalid API key: it is unknown or has been revoked." });
    }
    request.caller = caller;
  });
}

/** The path (the URL up to any "?") is under /api/, or /api itself. */
function isProtected(request: FastifyRequest): boolean {
  const url = request.url;
  return url.startsWith(PROTECTED_PREFIX) || url === "/api" || url.startsWith("/api?");
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}
