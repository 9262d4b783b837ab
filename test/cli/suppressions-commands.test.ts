import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliDatabase, migratedCliDatabase } from "../support/cli-database.js";
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
});
