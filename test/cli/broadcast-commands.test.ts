import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliDatabase, migratedCliDatabase } from "../support/cli-database.js";
import { runCli } from "../support/run-cli.js";

describe("notification-service broadcast", { timeout: 90_000 }, () => {
  let cliDatabase: CliDatabase;
  let env: Record<string, string>;
  let db: pg.Pool;

  beforeAll(async () => {
    cliDatabase = await migratedCliDatabase("ns-cli-bc");
    ({ env, db } = cliDatabase);
    await db.query(
      `INSERT INTO users (email, password_hash) SELECT 'cli' || g || '@example.com', 'x' FROM generate_series(1, 3) g`,
    );
  });
  afterAll(() => cliDatabase?.close());

  it("sends a broadcast, reporting unknown ids, and shows its status", async () => {
    const sent = await runCli(
      ["broadcast", "send", "--users", "1,2,2,77", "--message", "Hello all", "--category", "news"],
      env,
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toContain("Created broadcast 1 to 2 users (pending).");
    expect(sent.stdout).toContain("Skipped 1 unknown id: 77");
    const { rows } = await db.query("SELECT user_ids FROM broadcast_audience_chunks");
    expect(rows.map((row) => row.user_ids.map(Number))).toEqual([[1, 2]]);

    const status = await runCli(["broadcast", "status", "1", "--json"], env);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      id: 1,
      status: "pending",
      total: 2,
      category: "news",
      counts: { pending: 0, sent: 0 },
    });
    const text = await runCli(["broadcast", "status", "1"], env);
    expect(text.stdout).toContain("Broadcast 1: pending, 0 of 2 fanned out");
  });

  it("refuses a broadcast without an audience, and an unknown one", async () => {
    const noAudience = await runCli(["broadcast", "send", "--message", "x"], env);
    expect(noAudience.code).toBe(1);
    expect(noAudience.stderr).toBe("error: give exactly one of --users 1,2,3 and --all-users\n");
    // Named by the options given, not by the API's fields.
    const both = await runCli(["broadcast", "send", "--users", "1", "--all-users", "--message", "x"], env);
    expect(both).toMatchObject({
      code: 1,
      stderr: "error: give exactly one of --users 1,2,3 and --all-users\n",
    });
    const missing = await runCli(["broadcast", "status", "999"], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Broadcast 999 not found/);
  });

  it("refuses what the API refuses: over-long fields, too many channels, a null character in the data", async () => {
    const before = (await db.query("SELECT count(*)::int AS n FROM broadcasts")).rows[0].n;
    const long = await runCli(
      [
        "broadcast",
        "send",
        "--users",
        "1",
        "--message",
        "Hello",
        "--subject",
        "s".repeat(256),
        "--category",
        "c".repeat(65),
        "--channels",
        "sms,email,telegram,sms",
      ],
      env,
    );
    expect(long).toMatchObject({ code: 1, stdout: "" });
    expect(long.stderr).toContain("  subject: Ensure this field has no more than 255 characters.\n");
    expect(long.stderr).toContain("  category: Ensure this field has no more than 64 characters.\n");
    expect(long.stderr).toContain("  channels: Ensure this field has no more than 3 elements.\n");
    // "\u0000" in JSON: PostgreSQL's jsonb refuses it without naming the field.
    const nul = await runCli(
      ["broadcast", "send", "--users", "1", "--template", "otp", "--data", '{"code": "1\\u0000"}'],
      env,
    );
    expect(nul).toMatchObject({
      code: 1,
      stderr: "error: invalid input\n  data: Null characters are not allowed.\n",
    });
    expect((await db.query("SELECT count(*)::int AS n FROM broadcasts")).rows[0].n).toBe(before);
  });
});
