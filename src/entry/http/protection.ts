import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import type { Config } from "../../config.js";
import type { SideChannels } from "../../side-channels.js";
import { registerSecurityHeaders } from "./security-headers.js";

/** Security headers everywhere, CORS only for configured origins, and a per-key rate limit. */
export async function registerProtection(
  app: FastifyInstance,
  config: Config,
  /** Redis shared by every API process, or the plugin's in-memory store (one process, no REDIS_URL). */
  store: SideChannels["apiRateLimitStore"],
): Promise<void> {
  registerSecurityHeaders(app);
  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.corsOrigins,
      // Every method the API has: the plugin's default (GET, HEAD, POST) left a browser unable to
      // change preferences, templates, users or webhooks, or to delete anything.
      methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
      allowedHeaders: ["authorization", "content-type", "idempotency-key"],
      // What a client acts on: when to retry after a 429 or 503, and whether a create was replayed.
      exposedHeaders: ["retry-after", "idempotent-replayed", "allow"],
    });
  }
  if (config.apiRateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: config.apiRateLimitPerMinute,
      timeWindow: 60_000,
      // After authentication (onRequest), so the bucket is the caller's key, not a shared IP.
      hook: "preHandler",
      ...store,
      // Redis being down must not take the API down with it: PostgreSQL alone can accept work.
      skipOnError: true,
      keyGenerator: (request) => request.caller?.id ?? request.ip,
      allowList: (request) => !request.url.startsWith("/api/"),
      errorResponseBuilder: (_request, context) =>
        Object.assign(
          new Error(
            `Rate limit exceeded: at most ${context.max} requests a minute per API key; retry in ${context.after}.`,
          ),
          {
            statusCode: 429,
          },
        ),
    });
  }
}
