/**
 * The dashboard's built files (npm run build puts them in dist/dashboard) under /dashboard/.
 * The page itself needs no key: it holds no data, and asks the API for everything with the key
 * the operator signs in with. A strict Content-Security-Policy applies here only; the docs page
 * at / runs inline scripts and has only the common security headers.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync } from "fastify";

/** The same from src/entry/http (tests, tsx) and dist/entry/http (the build). */
export const DASHBOARD_BUILD_DIR = fileURLToPath(new URL("../../../dist/dashboard/", import.meta.url));

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const dashboardRoutes: FastifyPluginAsync<{ root?: string }> = async (app, options) => {
  const root = options.root ?? DASHBOARD_BUILD_DIR;
  app.addHook("onRequest", async (_request, reply) => {
    reply.header("content-security-policy", DASHBOARD_CSP);
  });
  if (!existsSync(join(root, "index.html"))) {
    const notBuilt = async (
      _request: unknown,
      reply: { code(status: number): { type(t: string): unknown } },
    ) => {
      reply.code(503).type("text/plain; charset=utf-8");
      return "The dashboard has not been built: run `npm run build`.\n";
    };
    app.get("/dashboard/", { schema: { hide: true } }, notBuilt);
    app.get("/dashboard/*", { schema: { hide: true } }, notBuilt);
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/dashboard/",
    schemaHide: true,
    // Brotli and gzip twins are written by the build; served when the browser accepts them.
    preCompressed: true,
    cacheControl: false,
    setHeaders(reply, path) {
      // File names under assets/ carry a hash of their content: they never change.
      const immutable = /[\\/]assets[\\/]/.test(path);
      reply.header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  // The router ignores trailing slashes, so /dashboard/ arrives as /dashboard, which the
  // static wildcard route does not cover.
  app.get("/dashboard", { schema: { hide: true } }, (_request, reply) => reply.sendFile("index.html"));
};
