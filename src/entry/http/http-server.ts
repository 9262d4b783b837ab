import type { FastifyInstance } from "fastify";
import type { Logger as PinoLogger } from "pino";
import type { Core } from "../../app.js";
import { ensureApiAccess } from "./api-access.js";
import { buildHttpApp } from "./http-app.js";

/** Builds the API on a connected core and listens on HOST:PORT. */
export async function startHttpServer(core: Core, logger: PinoLogger): Promise<FastifyInstance> {
  await ensureApiAccess(core, (text) => process.stdout.write(`${text}\n`));
  const app = await buildHttpApp({ core, config: core.config }, logger);
  await app.listen({ host: core.config.host, port: core.config.port });
  return app;
}
