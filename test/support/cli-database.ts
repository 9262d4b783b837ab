/**
 * What a CLI test file runs its commands against: a database of its own, migrated by the CLI's own
 * `migrate`, a Redis prefix of its own, and a pool to check the rows the commands wrote.
 */
import pg from "pg";
import { newTestDatabase, TEST_REDIS_URL, type TestDatabase, uniqueName } from "./databases.js";
import { deleteRedisKeys } from "./redis-keys.js";
import { type CliResult, runCli } from "./run-cli.js";

export interface CliDatabase {
  database: TestDatabase;
  /** The environment to run the CLI with. */
  env: Record<string, string>;
  db: pg.Pool;
  /** What `migrate` answered. */
  migrated: CliResult;
  close(): Promise<void>;
}

/** `redisPrefix` names the file's keys (made unique); `env` adds settings for every command. */
export async function migratedCliDatabase(
  redisPrefix: string,
  env: Record<string, string> = {},
): Promise<CliDatabase> {
  const database = newTestDatabase();
  const cliEnv = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: uniqueName(redisPrefix),
    ...env,
  };
  const migrated = await runCli(["migrate"], cliEnv);
  if (migrated.code !== 0) {
    await database.drop();
    throw new Error(`migrate exited with ${migrated.code}: ${migrated.stderr}`);
  }
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  return {
    database,
    env: cliEnv,
    db,
    migrated,
    async close() {
      await db.end();
      await deleteRedisKeys(cliEnv.REDIS_PREFIX);
      await database.drop();
    },
  };
}
