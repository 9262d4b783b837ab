import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newTestDatabase, TEST_REDIS_URL, type TestDatabase, uniqueName } from "../support/databases.js";
import { deleteRedisKeys } from "../support/redis-keys.js";
import { runCli } from "../support/run-cli.js";

describe("notification-service webhooks", { timeout: 90_000 }, () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let db: pg.Pool;

  beforeAll(async () => {
    database = newTestDatabase();
    env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: uniqueName("ns-cli-hooks") };
    expect((await runCli(["migrate"], env)).code).toBe(0);
    db = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await db?.end();
    await deleteRedisKeys(env.REDIS_PREFIX!);
    await database?.drop();
  });

  it("creates, lists, rotates and tests endpoints, refusing private addresses unless allowed", async () => {
    const refused = await runCli(
      ["webhooks", "create", "--url", "http://127.0.0.1:9/hook", "--events", "*"],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/WEBHOOK_ALLOW_PRIVATE_NETWORKS/);

    const allowed = { ...env, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" };
    const created = await runCli(
      [
        "webhooks",
        "create",
        "--url",
        "http://127.0.0.1:9/hook",
        "--events",
        "notification.sent,attempt.failed",
      ],
      allowed,
    );
    expect(created.code, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^whsec_/);
    const { rows } = await db.query<{ id: string; secret: string; events: string[] }>(
      "SELECT id, secret, events FROM webhook_endpoints",
    );
    expect(rows).toMatchObject([{ secret, events: ["notification.sent", "attempt.failed"] }]);
    const id = rows[0]?.id ?? "";

    const [listed, rotated, tested] = await Promise.all([
      runCli(["webhooks", "list", "--json"], env),
      runCli(["webhooks", "rotate", id], env),
      runCli(["webhooks", "test", id, "--json"], env),
    ]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { id: Number(id), url: "http://127.0.0.1:9/hook", enabled: true },
    ]);
    expect(listed.stdout).not.toContain("whsec_");
    expect(rotated.code).toBe(0);
    expect(rotated.stdout.trim()).toMatch(/^whsec_/);
    const after = await db.query<{ secret: string; previous_secret: string }>(
      "SELECT secret, previous_secret FROM webhook_endpoints WHERE id = $1",
      [id],
    );
    expect(after.rows[0]).toEqual({ secret: rotated.stdout.trim(), previous_secret: secret });
    expect(tested.code, tested.stderr).toBe(0);
    expect(JSON.parse(tested.stdout)).toMatchObject({ event_type: "webhook.test", status: "pending" });
  });
});
