import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliDatabase, migratedCliDatabase } from "../support/cli-database.js";
import { runCli } from "../support/run-cli.js";

describe("notification-service webhooks", { timeout: 90_000 }, () => {
  let cliDatabase: CliDatabase;
  let env: Record<string, string>;
  let db: pg.Pool;

  beforeAll(async () => {
    cliDatabase = await migratedCliDatabase("ns-cli-hooks");
    ({ env, db } = cliDatabase);
  });
  afterAll(() => cliDatabase?.close());

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

  it("refuses an over-long url or description, and too many event types, as the API does", async () => {
    const allowed = { ...env, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" };
    const [long, many] = await Promise.all([
      runCli(
        [
          "webhooks",
          "create",
          "--url",
          `http://127.0.0.1:9/${"u".repeat(2000)}`,
          "--events",
          "*",
          "--description",
          "d".repeat(501),
        ],
        allowed,
      ),
      runCli(
        ["webhooks", "create", "--url", "http://127.0.0.1:9/hook", "--events", Array(51).fill("*").join(",")],
        allowed,
      ),
    ]);
    expect(long).toMatchObject({
      code: 1,
      stderr: [
        "error: invalid input",
        "  url: Ensure this field has no more than 2000 characters.",
        "  description: Ensure this field has no more than 500 characters.",
        "",
      ].join("\n"),
    });
    expect(many).toMatchObject({
      code: 1,
      stderr: "error: invalid input\n  events: Ensure this field has no more than 50 elements.\n",
    });
    const { rows } = await db.query(
      "SELECT url FROM webhook_endpoints WHERE url LIKE 'http://127.0.0.1:9/u%'",
    );
    expect(rows).toEqual([]);
  });
});
