/**
 * What a fault-injection test file needs: a database and a Redis prefix of its own (on the shared
 * servers, or on a private PostgreSQL / Redis the test may stop), a loopback SMS.ru (and Telegram
 * when asked for), the service's processes, and a direct view of PostgreSQL to check what really
 * happened. `close` undoes all of it, whatever state the test left things in.
 */
import pg from "pg";
import { ADMIN_DATABASE_URL, TEST_REDIS_URL, uniqueName } from "./databases.js";
import { FakeSmsRu } from "./fake-sms-ru.js";
import { FakeTelegram } from "./fake-telegram.js";
import { deleteRedisKeys } from "./redis-keys.js";
import { request, type ServiceProcess, ServiceProcesses } from "./service-processes.js";
import { waitFor } from "./wait-for.js";

export const API_KEY = "fault-test-api-key-0123456789";
export const PHONE = "+79990001122";

export interface FaultFixtureOptions {
  /** A database URL without the database name's path, e.g. a private cluster's; default the shared one. */
  postgresUrl?: (database: string) => string;
  redisUrl?: string;
  /** Also a loopback Telegram Bot API, configured (CHANNEL_ORDER still says which channels run). */
  telegram?: boolean;
  env?: Record<string, string>;
}

export interface StoredAttemptRow {
  channel: string;
  status: string;
  round: number;
  started_at: Date;
  finished_at: Date | null;
}

export interface StoredState {
  id: number;
  status: string;
  retry_count: number;
  next_attempt_at: Date | null;
  attempts: StoredAttemptRow[];
}

/** A client of one API process, authenticated with the fixture's key. */
export type FaultApi = ReturnType<FaultFixture["api"]>;

export interface RunningService {
  api: FaultApi;
  apiProcess: ServiceProcess;
  worker: ServiceProcess;
}

export class FaultFixture {
  readonly database = uniqueName("ns_fault");
  readonly redisPrefix = uniqueName("ns-fault");
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly processes: ServiceProcesses;
  readonly pool: pg.Pool;

  private constructor(
    readonly smsRu: FakeSmsRu,
    private readonly fakeTelegram: FakeTelegram | null,
    private readonly options: FaultFixtureOptions,
  ) {
    this.databaseUrl = options.postgresUrl
      ? options.postgresUrl(this.database)
      : Object.assign(new URL(ADMIN_DATABASE_URL), { pathname: `/${this.database}` }).toString();
    this.redisUrl = options.redisUrl ?? TEST_REDIS_URL;
    this.processes = new ServiceProcesses({
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.redisPrefix,
      API_KEYS: API_KEY,
      SMS_RU_API_URL: smsRu.url,
      SMS_RU_API_ID: "fault-test-api-id",
      CHANNEL_ORDER: "sms",
      PROVIDER_TIMEOUT_SECONDS: "8",
      LEASE_SECONDS: "9",
      POLL_INTERVAL_SECONDS: "1",
      RETRY_DELAY_SECONDS: "1",
      SHUTDOWN_GRACE_SECONDS: "10",
      ...(fakeTelegram
        ? { TELEGRAM_API_URL: fakeTelegram.url, TELEGRAM_BOT_TOKEN: "42:fault-test-token" }
        : {}),
      ...options.env,
    });
    // Checks read PostgreSQL directly: it is the truth, and it answers while the API may not.
    this.pool = new pg.Pool({ connectionString: this.databaseUrl, max: 3, connectionTimeoutMillis: 3_000 });
    this.pool.on("error", () => {});
  }

  static async create(options: FaultFixtureOptions = {}): Promise<FaultFixture> {
    const [smsRu, telegram] = await Promise.all([
      FakeSmsRu.start(),
      options.telegram ? FakeTelegram.start() : null,
    ]);
    return new FaultFixture(smsRu, telegram, options);
  }

  get telegram(): FakeTelegram {
    if (!this.fakeTelegram) throw new Error("this fixture was created without { telegram: true }");
    return this.fakeTelegram;
  }

  api(url: string) {
    const auth = { authorization: `Bearer ${API_KEY}` };
    return {
      createUser: async (email: string, contacts: { telegram_id?: string } = {}): Promise<number> => {
        const response = await request(`${url}/api/users/`, {
          body: { email, password: "long enough", phone_number: PHONE, ...contacts },
          headers: auth,
        });
        if (response.status !== 201)
          throw new Error(`user: ${response.status} ${JSON.stringify(response.body)}`);
        return response.body.id as number;
      },
      createNotification: async (
        user: number,
        message: string,
        headers: Record<string, string> = {},
      ): Promise<number> => {
        const response = await request(`${url}/api/notifications/`, {
          body: { user, message },
          headers: { ...auth, ...headers },
        });
        if (response.status !== 201) {
          throw new Error(`notification: ${response.status} ${JSON.stringify(response.body)}`);
        }
        return response.body.id as number;
      },
      post: (path: string, body: unknown, headers: Record<string, string> = {}, timeoutMs?: number) =>
        request(`${url}${path}`, { body, headers: { ...auth, ...headers }, timeoutMs }),
      get: (path: string, timeoutMs?: number) => request(`${url}${path}`, { headers: auth, timeoutMs }),
    };
  }

  /** An API process and a worker process, started side by side, and a client of that API. */
  async startApiAndWorker(): Promise<RunningService> {
    const [started, worker] = await Promise.all([this.processes.startApi(), this.processes.startWorker()]);
    return { api: this.api(started.url), apiProcess: started.process, worker };
  }

  /** How many times a loopback provider (SMS.ru, or Telegram when there is one) was asked to send this text. */
  sent(message: string): number {
    const bySms = this.smsRu.messages.filter((r) => r.text === message).length;
    const byTelegram = this.fakeTelegram?.sentTexts().filter((text) => text === message).length ?? 0;
    return bySms + byTelegram;
  }

  async state(id: number): Promise<StoredState> {
    const { rows } = await this.pool.query(
      "SELECT id, status, retry_count, next_attempt_at FROM notifications WHERE id = $1",
      [id],
    );
    if (!rows[0]) throw new Error(`no notification ${id}`);
    const attempts = await this.pool.query(
      "SELECT channel, status, round, started_at, finished_at FROM attempts WHERE notification_id = $1 ORDER BY id",
      [id],
    );
    return { ...rows[0], attempts: attempts.rows } as StoredState;
  }

  waitForStatus(id: number, status: string, timeoutMs = 30_000): Promise<StoredState> {
    return waitFor(
      `notification ${id} to be ${status}`,
      async () => {
        const state = await this.state(id);
        return state.status === status ? state : undefined;
      },
      timeoutMs,
      100,
    );
  }

  async inProgressAttempts(): Promise<number> {
    const { rows } = await this.pool.query(
      "SELECT count(*)::int AS n FROM attempts WHERE status = 'in_progress'",
    );
    return rows[0].n as number;
  }

  /** The pid in the lease of a notification ("host:pid:random"), once a worker holds it. */
  leaseHolderPid(id: number, timeoutMs = 15_000): Promise<number> {
    return waitFor(
      `a worker to hold notification ${id}`,
      async () => {
        const { rows } = await this.pool.query("SELECT lease_owner FROM notifications WHERE id = $1", [id]);
        const owner = rows[0]?.lease_owner as string | null | undefined;
        return owner ? Number(owner.split(":")[1]) : undefined;
      },
      timeoutMs,
      25,
    );
  }

  async close(): Promise<void> {
    await this.processes.stopAll();
    await this.smsRu.close().catch(() => {});
    await this.fakeTelegram?.close().catch(() => {});
    await this.pool.end().catch(() => {});
    if (!this.options.postgresUrl) {
      const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`).finally(() => admin.end());
    }
    if (!this.options.redisUrl) await deleteRedisKeys(this.redisPrefix);
  }
}
