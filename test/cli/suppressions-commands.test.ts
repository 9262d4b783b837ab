import { once } from "node:events";
import { type AddressInfo, connect, createServer } from "node:net";
import { Redis } from "ioredis";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type CliDatabase, migratedCliDatabase } from "../support/cli-database.js";
import { TEST_REDIS_URL } from "../support/databases.js";
import { runCli } from "../support/run-cli.js";

describe("notification-service suppressions", { timeout: 90_000 }, () => {
  let cliDatabase: CliDatabase;
  let env: Record<string, string>;
  let db: pg.Pool;

  beforeAll(async () => {
    cliDatabase = await migratedCliDatabase("ns-cli-supp");
    ({ env, db } = cliDatabase);
  });
  afterAll(() => cliDatabase?.close());

  it("adds an address normalised, refuses a duplicate and a bad one, lists and removes it", async () => {
    const added = await runCli(
      ["suppressions", "add", "sms", "8 (999) 000-11-22", "--note", "asked by phone", "--json"],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    const suppression = JSON.parse(added.stdout);
    expect(suppression).toMatchObject({
      channel: "sms",
      address: "+79990001122",
      reason: "manual",
      source: "cli",
      evidence: { note: "asked by phone" },
    });
    const { rows } = await db.query("SELECT channel, address, reason, source FROM suppressions");
    expect(rows).toEqual([{ channel: "sms", address: "+79990001122", reason: "manual", source: "cli" }]);

    const duplicate = await runCli(["suppressions", "add", "sms", "+79990001122"], env);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already suppressed/);
    const invalid = await runCli(["suppressions", "add", "email", "nobody", "--reason", "bored"], env);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/address: .*\n.*reason: /);

    const listed = await runCli(["suppressions", "list", "--address", "+7 999 000 11 22"], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/\+79990001122\s+manual\s+cli\s+.*asked by phone/);

    const removed = await runCli(["suppressions", "remove", String(suppression.id)], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/receives again/);
    expect((await db.query("SELECT 1 FROM suppressions")).rowCount).toBe(0);
    const again = await runCli(["suppressions", "remove", String(suppression.id)], env);
    expect(again.code).toBe(1);
    expect((await runCli(["suppressions", "list"], env)).stdout).toMatch(/No suppressed addresses/);
  });

  it("refuses an over-long address in the API's words, before judging it as an address", async () => {
    const long = await runCli(["suppressions", "add", "email", `${"a".repeat(250)}@example.com`], env);
    expect(long).toMatchObject({
      code: 1,
      stderr: "error: invalid input\n  address: Ensure this field has no more than 254 characters.\n",
    });
    const { rows } = await db.query("SELECT id FROM suppressions WHERE address LIKE 'aaaa%'");
    expect(rows).toEqual([]);
  });

  it("tells open dashboards of an address added or removed, over Redis, even when it connects slowly", async () => {
    // Redis answering its first bytes 300 ms late, as over a slow network: a fresh connection is
    // then not ready when the command publishes, and drops the event unless the command waits.
    const redis = new URL(TEST_REDIS_URL);
    const slow = createServer((client) => {
      setTimeout(() => {
        const upstream = connect(Number(redis.port || 6379), redis.hostname);
        client.pipe(upstream).pipe(client);
        const close = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on("error", close).on("close", close);
        upstream.on("error", close).on("close", close);
      }, 300);
    });
    slow.listen(0, "127.0.0.1");
    await once(slow, "listening");
    const slowEnv = { ...env, REDIS_URL: `redis://127.0.0.1:${(slow.address() as AddressInfo).port}` };
    const listener = new Redis(TEST_REDIS_URL);
    const events: unknown[] = [];
    listener.on("message", (_channel: string, message: string) => events.push(...JSON.parse(message)));
    await listener.subscribe(`${env.REDIS_PREFIX}:notification-events`);
    try {
      const added = await runCli(["suppressions", "add", "telegram", "-100555", "--json"], slowEnv);
      expect(added.code, added.stderr).toBe(0);
      const { id } = JSON.parse(added.stdout);
      expect((await runCli(["suppressions", "remove", String(id)], slowEnv)).code).toBe(0);
      await vi.waitFor(() =>
        expect(events).toEqual([
          { type: "suppression", id, change: "created" },
          { type: "suppression", id, change: "deleted" },
        ]),
      );
    } finally {
      listener.disconnect();
      slow.close();
    }
  });
});
