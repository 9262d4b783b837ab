/**
 * The service's configuration for a bench run, all through its ordinary, documented environment
 * variables: the run's own database and Redis prefix, the loopback providers, SMS only, logging at
 * warn, no API rate limit, one API key.
 */
import { createServer } from "node:net";
import type { ProviderPorts } from "./providers/protocol.js";

export const API_KEY = "bench-key";

export interface ServiceSettings {
  port: number;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  providers: ProviderPorts;
}

export function serviceEnv(
  settings: ServiceSettings,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // Whatever the bench itself runs under (tsx's loader, a debugger) is not the service's business.
  delete env.NODE_OPTIONS;
  const loopback = (port: number) => `http://127.0.0.1:${port}`;
  return {
    ...env,
    HOST: "127.0.0.1",
    PORT: String(settings.port),
    LOG_LEVEL: "warn",
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    REDIS_PREFIX: settings.redisPrefix,
    API_KEYS: API_KEY,
    API_RATE_LIMIT_PER_MINUTE: "0",
    CHANNEL_ORDER: "sms",
    SMS_RU_API_URL: loopback(settings.providers.sms),
    SMS_RU_API_ID: "bench-api-id",
    SMS_SENDER_NAME: "Bench",
    TELEGRAM_API_URL: loopback(settings.providers.telegram),
    TELEGRAM_BOT_TOKEN: "123456:bench-token",
    EMAIL_HOST: "127.0.0.1",
    EMAIL_PORT: String(settings.providers.smtp),
    EMAIL_USE_SSL: "false",
    EMAIL_USE_TLS: "false",
    EMAIL_FROM: "bench@example.com",
  };
}

/** Node flags for the service's processes: a CPU profile of each into `cpuProfileDir`. */
export function serviceNodeOptions(cpuProfileDir: string | null): string[] {
  return cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : [];
}

export function authHeaders(): Record<string, string> {
  return { authorization: `Bearer ${API_KEY}` };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("could not find a free port");
  return address.port;
}
