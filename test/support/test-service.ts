/**
 * The real service, in-process, on a database and a Redis prefix of its own: the HTTP app (called
 * through inject) and the delivery worker, talking to the loopback providers given.
 */
import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { type Core, createCore, prepareDatabase } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { type Logger, silentLogger } from "../../src/core/logger.js";
import { buildHttpApp } from "../../src/entry/http/http-app.js";
import { type RunningWorker, startWorker } from "../../src/entry/worker/worker-process.js";
import { newTestDatabase, TEST_REDIS_URL, type TestDatabase, uniqueName } from "./databases.js";
import { deleteRedisKeys, redisConnected } from "./redis-keys.js";
import { waitFor } from "./wait-for.js";

export interface TestService {
  app: FastifyInstance;
  core: Core;
  /** The running worker; a test that restarts it puts the new one here, for close to stop. */
  worker: RunningWorker | null;
  database: TestDatabase;
  env: Record<string, string>;
  /** The API key the service accepts (from API_KEYS). */
  apiKey: string;
  /** `app.inject` with the API key sent, unless the request sets its own authorization header. */
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** POST/GET helpers that fail loudly on an unexpected status. */
  createUser(body: Record<string, unknown>): Promise<{ id: number } & Record<string, unknown>>;
  createNotification(body: Record<string, unknown>): Promise<{ id: number } & Record<string, unknown>>;
  getNotification(id: number): Promise<NotificationJson>;
  /** Waits until the notification leaves pending (or reaches `status`) and returns it. */
  waitForStatus(id: number, status?: string, timeoutMs?: number): Promise<NotificationJson>;
  close(): Promise<void>;
}

export interface NotificationJson {
  id: number;
  status: string;
  retry_count: number;
  last_channel: string | null;
  sent_at: string | null;
  next_attempt_at: string | null;
  failure_reason: string | null;
  attempts: {
    channel: string;
    status: string;
    round: number;
    error: string | null;
    error_kind: string | null;
    provider_code: string | null;
    provider_message_id: string | null;
  }[];
  [key: string]: unknown;
}

export interface TestServiceOptions {
  env?: Record<string, string>;
  /** false: no worker, for tests of the API alone. */
  worker?: boolean;
  /** Where the service logs; silent by default. */
  logger?: Logger;
  /** Where the HTTP app logs (its routes log through Fastify); silent by default. */
  httpLogger?: FastifyBaseLogger;
}

export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const database = newTestDatabase();
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: uniqueName("ns-test"),
    LOG_LEVEL: "silent",
    RETRY_DELAY_SECONDS: "0.2",
    POLL_INTERVAL_SECONDS: "1",
    PROVIDER_TIMEOUT_SECONDS: "3",
    API_KEYS: "test-api-key-0123456789",
    API_KEY_CACHE_SECONDS: "0",
    // Tests see the real providers' behaviour unless they ask for the sandbox.
    DELIVERY_SANDBOX: "false",
    ...options.env,
  };
  const config = parseConfig(env);
  const logger = options.logger ?? silentLogger;
  await prepareDatabase(config, logger);
  const core = createCore(config, logger, 4);
  // The producer connection fails fast while connecting; tests start once it is there.
  await redisConnected(core);
  const app = await buildHttpApp({ core, config }, options.httpLogger ?? false);
  const worker = options.worker === false ? null : startWorker(core);

  const apiKey = env.API_KEYS?.split(",")[0] ?? "";
  const inject = (request: InjectOptions) =>
    app.inject({ ...request, headers: { authorization: `Bearer ${apiKey}`, ...request.headers } });
  const expectStatus = async (method: "GET" | "POST", url: string, status: number, payload?: object) => {
    const response = await inject({ method, url, payload });
    if (response.statusCode !== status) {
      throw new Error(
        `${method} ${url} answered ${response.statusCode}, expected ${status}: ${response.body}`,
      );
    }
    return response.json();
  };
  const getNotification = (id: number) => expectStatus("GET", `/api/notifications/${id}/`, 200);

  const service: TestService = {
    app,
    core,
    worker,
    database,
    env,
    apiKey,
    inject,
    createUser: (body) => expectStatus("POST", "/api/users/", 201, body),
    createNotification: (body) => expectStatus("POST", "/api/notifications/", 201, body),
    getNotification,
    waitForStatus: (id, status, timeoutMs = 15_000) =>
      waitFor(
        `notification ${id} to be ${status ?? "finished"}`,
        async () => {
          const notification = await getNotification(id);
          const done = status ? notification.status === status : notification.status !== "pending";
          return done ? notification : undefined;
        },
        timeoutMs,
      ),
    async close() {
      await service.worker?.stop();
      await app.close();
      await core.close();
      await deleteRedisKeys(env.REDIS_PREFIX!);
      await database.drop();
    },
  };
  return service;
}
