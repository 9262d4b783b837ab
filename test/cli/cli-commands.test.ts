import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../src/core/passwords.js";
import { type CliDatabase, migratedCliDatabase } from "../support/cli-database.js";
import { TEST_REDIS_URL } from "../support/databases.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { cliEnv, REPO_ROOT, runCli, spawnCli } from "../support/run-cli.js";

// Each command is a fresh node process compiling TypeScript through tsx, about a second apiece
// on a quiet machine; several in a row need more than the default timeout on a loaded one.
describe("the notification-service command", { timeout: 90_000 }, () => {
  let cliDatabase: CliDatabase;
  let env: Record<string, string>;
  let db: pg.Pool;

  beforeAll(async () => {
    cliDatabase = await migratedCliDatabase("ns-cli", { DELIVERY_SANDBOX: "false" });
    ({ env, db } = cliDatabase);
    expect(cliDatabase.migrated).toMatchObject({ code: 0, stderr: "" });
    expect(cliDatabase.migrated.stdout).toMatch(
      /^Applied \d+ migration\(s\): 001-initial-schema, 002-api-keys, .*004-outbox/,
    );
  });
  afterAll(() => cliDatabase?.close());

  const cli = (...args: string[]) => runCli(args, env);

  describe("usage", () => {
    it("prints help for the program and for each command, with exit code 0", async () => {
      const [help, usersCreate, keysHelp] = await Promise.all([
        cli("--help"),
        cli("users", "create", "--help"),
        cli("keys", "--help"),
      ]);
      expect(help.code).toBe(0);
      for (const command of ["serve", "worker", "migrate", "users", "send", "status", "prune", "keys"]) {
        expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
      }
      expect(help.stdout).toContain("Exit codes: 0 success; 1 the command failed");
      expect(usersCreate.code).toBe(0);
      for (const option of [
        "--email",
        "--password",
        "--first-name",
        "--last-name",
        "--phone",
        "--telegram-id",
      ]) {
        expect(usersCreate.stdout).toContain(option);
      }
      expect(keysHelp.stdout).toMatch(/create[\s\S]*list[\s\S]*revoke/);
    });

    it("exits 2 for a wrong command line: no command, unknown command or option, missing or malformed arguments", async () => {
      const cases = [
        [[], /Usage: notification-service/],
        [["bogus"], /unknown command 'bogus'/],
        [["status"], /missing required argument 'id'/],
        [["status", "abc"], /expected a whole number/],
        [["send", "--message", "hi"], /required option '--user <id>' not specified/],
        [["send", "--user", "0", "--message", "hi"], /expected a whole number/],
        [
          ["users", "create", "--email", "x@example.com", "--password", "long enough", "--colour", "red"],
          /unknown option '--colour'/,
        ],
      ] as const;
      const results = await Promise.all(cases.map(([args]) => cli(...args)));
      cases.forEach(([args, message], index) => {
        expect({ args, code: results[index]!.code }).toEqual({ args, code: 2 });
        expect(results[index]!.stderr).toMatch(message);
      });
    });
  });

  it("migrate says the schema is up to date when it is", async () => {
    expect(await cli("migrate")).toMatchObject({ code: 0, stdout: "The database schema is up to date.\n" });
  });

  describe("users list and delete", () => {
    it("finds a user by a contact written any way, and erases them with their notifications", async () => {
      const created = await runCli(
        [
          "users",
          "create",
          "--email",
          "Erase.Me@example.com",
          "--password",
          "long enough",
          "--phone",
          "+79990009988",
          "--json",
        ],
        env,
      );
      expect(created.code, created.stderr).toBe(0);
      const { id } = JSON.parse(created.stdout);
      await db.query("INSERT INTO notifications (user_id, message) VALUES ($1, 'one'), ($1, 'two')", [id]);

      const byPhone = await runCli(["users", "list", "--phone", "8 999 000-99-88"], env);
      expect(byPhone.code, byPhone.stderr).toBe(0);
      expect(byPhone.stdout).toMatch(
        new RegExp(`^${id}\\s+Erase\\.Me@example\\.com\\s+-\\s+\\+79990009988`, "m"),
      );
      const byEmail = await runCli(["users", "list", "--email", "erase.me@EXAMPLE.com", "--json"], env);
      expect(JSON.parse(byEmail.stdout).map((user: { id: number }) => user.id)).toEqual([id]);
      const bad = await runCli(["users", "list", "--phone", "call me"], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/phone_number/);

      const erased = await runCli(["users", "delete", String(id)], env);
      expect(erased.code, erased.stderr).toBe(0);
      expect(erased.stdout).toMatch(`Erased user ${id} and 2 notification(s).`);
      expect((await db.query("SELECT 1 FROM notifications WHERE user_id = $1", [id])).rowCount).toBe(0);
      expect((await runCli(["users", "list", "--email", "erase.me@example.com"], env)).stdout).toMatch(
        /No users/,
      );
      const again = await runCli(["users", "delete", String(id)], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/not found/);
    });
  });

  describe("users telegram-link", () => {
    it("says what to set while links are off, and prints a working link when they are on", async () => {
      const telegram = await FakeTelegram.start();
      try {
        const created = await runCli(
          ["users", "create", "--email", "linked@example.com", "--password", "long enough", "--json"],
          env,
        );
        const { id } = JSON.parse(created.stdout);
        const off = await runCli(["users", "telegram-link", String(id)], env);
        expect(off.code).toBe(1);
        expect(off.stderr).toMatch(/TELEGRAM_BOT_TOKEN/);

        const linksOn = {
          ...env,
          TELEGRAM_API_URL: telegram.url,
          TELEGRAM_BOT_TOKEN: "4242:cli-token-x",
          TELEGRAM_LINKS: "true",
        };
        const link = await runCli(["users", "telegram-link", String(id), "--json"], linksOn);
        expect(link.code, link.stderr).toBe(0);
        const { url, code } = JSON.parse(link.stdout);
        expect(url).toBe(`https://t.me/loopback_bot?start=${code}`);
        const { rows } = await db.query("SELECT user_id, code_hash FROM telegram_link_codes");
        expect(rows).toEqual([
          { user_id: String(id), code_hash: createHash("sha256").update(code).digest("hex") },
        ]);
        expect(link.stdout + link.stderr).not.toContain("cli-token-x");

        const unknown = await runCli(["users", "telegram-link", "999999"], linksOn);
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toMatch(/not found/);
      } finally {
        await telegram.close();
      }
    });
  });

  describe("users import", () => {
    it("imports JSON lines from standard input, updates existing users when asked, and renumbers a later chunk's problems", async () => {
      const lines = [
        JSON.stringify({
          email: "import-a@example.com",
          password: "long enough",
          phone_number: "8 999 400-00-01",
        }),
        "",
        JSON.stringify({ email: "import-b@example.com", telegram_id: 650001 }),
      ].join("\n");
      const first = await runCli(["users", "import", "-"], env, lines);
      expect(first, first.stderr).toMatchObject({
        code: 0,
        stdout: "Imported 2 users: 2 created, 0 updated.\n",
      });
      const { rows } = await db.query(
        "SELECT email, phone_number, telegram_id, password_hash FROM users WHERE email LIKE 'import-_@example.com' ORDER BY id",
      );
      expect(rows.map((row) => [row.email, row.phone_number, row.telegram_id])).toEqual([
        ["import-a@example.com", "+79994000001", null],
        ["import-b@example.com", null, "650001"],
      ]);
      expect(await verifyPassword("long enough", rows[0].password_hash)).toBe(true);

      const refused = await runCli(["users", "import", "-"], env, lines);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("users.0.email: user with this email already exists.");
      const updated = await runCli(
        ["users", "import", "-", "--update-existing", "--json"],
        env,
        JSON.stringify([{ email: "IMPORT-B@example.com", first_name: "Bee" }]),
      );
      expect(updated.code, updated.stderr).toBe(0);
      expect(JSON.parse(updated.stdout)).toMatchObject([
        { email: "import-b@example.com", first_name: "Bee" },
      ]);

      // 1,001 users: the first thousand go in one transaction, the last (invalid) one fails alone.
      const many = Array.from({ length: 1001 }, (_, i) => ({
        email: i === 1000 ? "nope" : `many-${i}@example.com`,
      }));
      const partly = await runCli(["users", "import", "-"], env, JSON.stringify(many));
      expect(partly.code).toBe(1);
      expect(partly.stderr).toContain(
        "The first 1000 users were imported (1000 created, 0 updated); none from users.1000 on.",
      );
      expect(partly.stderr).toContain("users.1000.email: Enter a valid email address.");
      expect(
        (await db.query("SELECT count(*)::integer AS n FROM users WHERE email LIKE 'many-%'")).rows[0].n,
      ).toBe(1000);

      const notJson = await runCli(["users", "import", "-"], env, '{"email": "x@example.com"}\n{oops');
      expect(notJson.code).toBe(1);
      expect(notJson.stderr).toContain("- line 2 is not JSON");
    });
  });

  describe("users create", () => {
    it("reads the password from standard input with --password-stdin, and wants exactly one source", async () => {
      const piped = await runCli(
        ["users", "create", "--email", "stdin@example.com", "--password-stdin", "--json"],
        env,
        "from stdin, 16 chars\n",
      );
      expect(piped.code).toBe(0);
      const { id } = JSON.parse(piped.stdout);
      const { rows } = await db.query("SELECT password_hash FROM users WHERE id = $1", [id]);
      expect(await verifyPassword("from stdin, 16 chars", rows[0].password_hash)).toBe(true);
      expect(await verifyPassword("from stdin, 16 chars\n", rows[0].password_hash)).toBe(false);

      const both = await runCli(
        ["users", "create", "--email", "both@example.com", "--password", "correct horse", "--password-stdin"],
        env,
        "correct horse\n",
      );
      const neither = await cli("users", "create", "--email", "neither@example.com");
      // Nothing piped in: an empty password, refused at once rather than waited for.
      const empty = await runCli(
        ["users", "create", "--email", "empty@example.com", "--password-stdin"],
        env,
      );
      expect(empty.code).toBe(1);
      expect(empty.stderr).toContain("password: Ensure this field has at least 8 characters.");
      for (const result of [both, neither]) {
        expect(result.code).toBe(2);
        expect(result.stderr).toContain("give exactly one of --password <password> and --password-stdin");
      }
      const { rows: created } = await db.query(
        "SELECT email FROM users WHERE email IN ('both@example.com', 'neither@example.com', 'empty@example.com')",
      );
      expect(created).toEqual([]);
    });

    // script(1) runs the command on a pseudo-terminal, as a person typing it would.
    it.skipIf(!existsSync("/usr/bin/script"))(
      "says at once that --password-stdin wants a pipe when standard input is a terminal",
      async () => {
        const command = [process.execPath, "--import", "tsx", "src/entry/cli.ts"]
          .concat(["users", "create", "--email", "tty@example.com", "--password-stdin"])
          .join(" ");
        const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
          execFile(
            "/usr/bin/script",
            ["-qec", command, "/dev/null"],
            { cwd: REPO_ROOT, env: cliEnv(env), timeout: 20_000 },
            (error, stdout) =>
              resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, output: stdout }),
          );
        });
        expect(result.code).toBe(2);
        expect(result.output).toContain("--password-stdin reads the password from a pipe, not a terminal");
        const { rows } = await db.query("SELECT id FROM users WHERE email = 'tty@example.com'");
        expect(rows).toEqual([]);
      },
    );

    it("creates a user with normalised contacts", async () => {
      const result = await cli(
        "users",
        "create",
        "--email",
        "Ann@Example.com",
        "--password",
        "correct horse",
        "--first-name",
        "Ann",
        "--last-name",
        "Lee",
        "--phone",
        "8 (999) 000-11-22",
        "--telegram-id",
        "123456",
        "--json",
      );
      expect(result.code).toBe(0);
      const user = JSON.parse(result.stdout);
      expect(user).toEqual({
        id: expect.any(Number),
        email: "Ann@Example.com",
        first_name: "Ann",
        last_name: "Lee",
        phone_number: "+79990001122",
        telegram_id: "123456",
        locale: null,
        timezone: null,
        quiet_hours: null,
      });
      const { rows } = await db.query("SELECT email, phone_number, password_hash FROM users WHERE id = $1", [
        user.id,
      ]);
      expect(rows[0]).toMatchObject({ email: "Ann@Example.com", phone_number: "+79990001122" });
      expect(rows[0].password_hash).not.toContain("correct horse");

      const human = await cli("users", "create", "--email", "bob@example.com", "--password", "correct horse");
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/^Created user \d+\.\n {2}email +bob@example\.com/);
    });

    it("takes the locale, time zone and quiet hours the API takes, spelled canonically", async () => {
      const result = await cli(
        "users",
        "create",
        "--email",
        "local@example.com",
        "--password",
        "correct horse",
        "--locale",
        "pt-br",
        "--timezone",
        "europe/berlin",
        "--quiet-hours",
        "22:00-07:30",
        "--json",
      );
      expect(result.code, result.stderr).toBe(0);
      const { rows } = await db.query(
        "SELECT locale, timezone, quiet_hours_start::text AS start, quiet_hours_end::text AS end FROM users WHERE id = $1",
        [JSON.parse(result.stdout).id],
      );
      expect(rows[0]).toEqual({
        locale: "pt-BR",
        timezone: "Europe/Berlin",
        start: expect.stringMatching(/^22:00/),
        end: expect.stringMatching(/^07:30/),
      });
    });

    it("exits 1 naming each invalid field, and writes nothing", async () => {
      const before = (await db.query("SELECT count(*)::int AS n FROM users")).rows[0].n;
      const result = await cli(
        "users",
        "create",
        "--email",
        "not-an-email",
        "--password",
        "short",
        "--phone",
        "12",
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        [
          "error: invalid input",
          "  email: Enter a valid email address.",
          "  password: Ensure this field has at least 8 characters.",
          "  phone_number: Enter a valid phone number, e.g. +79990001122.",
          "",
        ].join("\n"),
      );
      const duplicate = await cli(
        "users",
        "create",
        "--email",
        "ANN@example.com",
        "--password",
        "correct horse",
      );
      expect(duplicate).toMatchObject({
        code: 1,
        stderr: "error: invalid input\n  email: user with this email already exists.\n",
      });
      expect((await db.query("SELECT count(*)::int AS n FROM users")).rows[0].n).toBe(before);
    });
    it("refuses what the API refuses for its length, in the API's words, and a password piped in past it", async () => {
      const result = await cli(
        "users",
        "create",
        "--email",
        `${"a".repeat(250)}@example.com`,
        "--password",
        "correct horse",
        "--first-name",
        "b".repeat(151),
        "--phone",
        "9".repeat(33),
      );
      expect(result).toMatchObject({
        code: 1,
        stdout: "",
        stderr: [
          "error: invalid input",
          "  email: Ensure this field has no more than 254 characters.",
          "  first_name: Ensure this field has no more than 150 characters.",
          "  phone_number: Ensure this field has no more than 32 characters.",
          "",
        ].join("\n"),
      });
      const justOver = await runCli(
        ["users", "create", "--email", "long-password-0@example.com", "--password-stdin"],
        env,
        `${"x".repeat(257)}\n`,
      );
      // More than the longest password could take, and the input never ends: refused at once,
      // without waiting for the end (or holding all of it in memory).
      const endless = spawnCli(
        ["users", "create", "--email", "long-password-1@example.com", "--password-stdin"],
        env,
        { stdin: "pipe" },
      );
      endless.child.stdin?.on("error", () => {});
      endless.child.stdin?.write("x".repeat(64 * 1024));
      const endlessCode = await Promise.race([endless.exited, sleep(20_000).then(() => "still reading")]);
      await endless.stop();
      expect(endlessCode).toBe(1);
      const huge = { code: endlessCode, stderr: endless.output.stderr };
      for (const refused of [justOver, huge]) {
        expect(refused).toMatchObject({
          code: 1,
          stderr: "error: invalid input\n  password: Ensure this field has no more than 256 characters.\n",
        });
      }
      // 256 characters of four UTF-8 bytes each and a CRLF: the longest allowed still goes in.
      const longest = await runCli(
        ["users", "create", "--email", "long-password-ok@example.com", "--password-stdin", "--json"],
        env,
        `${"😀".repeat(256)}\r\n`,
      );
      expect(longest.code, longest.stderr).toBe(0);
      const { rows } = await db.query(
        "SELECT email, password_hash FROM users WHERE email LIKE 'long-password-%' OR first_name LIKE 'bbb%'",
      );
      expect(rows.map((row) => row.email)).toEqual(["long-password-ok@example.com"]);
      expect(await verifyPassword("😀".repeat(256), rows[0].password_hash)).toBe(true);
    });
  });

  describe("send and status", () => {
    it("stores the notification due now, wakes the workers, and shows it", async () => {
      const user = JSON.parse(
        (await cli("users", "create", "--email", "send@example.com", "--password", "correct horse", "--json"))
          .stdout,
      );
      const listener = new Redis(TEST_REDIS_URL);
      const wakeUps: string[] = [];
      listener.on("message", (channel: string) => wakeUps.push(channel));
      await listener.subscribe(`${env.REDIS_PREFIX}:work-due`);
      const sent = await cli(
        "send",
        "--user",
        String(user.id),
        "--message",
        "Your code is 1234",
        "--subject",
        "Code",
        "--channels",
        "email, sms",
        "--metadata",
        "order_id=A-1042",
        "--metadata",
        "note=a=b",
        "--json",
      );
      expect(sent.code).toBe(0);
      expect(sent.stderr).toBe("");
      const notification = JSON.parse(sent.stdout);
      expect(notification).toMatchObject({
        user: user.id,
        message: "Your code is 1234",
        subject: "Code",
        channels: ["email", "sms"],
        status: "pending",
        metadata: { order_id: "A-1042", note: "a=b" },
        attempts: [],
      });
      const { rows } = await db.query(
        "SELECT user_id::int, status, channels FROM notifications WHERE id = $1",
        [notification.id],
      );
      expect(rows[0]).toEqual({ user_id: user.id, status: "pending", channels: ["email", "sms"] });
      const { rows: due } = await db.query(
        "SELECT next_attempt_at <= now() AS due FROM notifications WHERE id = $1",
        [notification.id],
      );
      expect(due[0]).toEqual({ due: true });
      try {
        await expect.poll(() => wakeUps.length).toBeGreaterThanOrEqual(1);
      } finally {
        listener.disconnect();
      }

      const human = await cli("status", String(notification.id));
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(`Notification ${notification.id}: pending`);
      expect(human.stdout).toMatch(/channels +email, sms/);
      expect(human.stdout).toMatch(/metadata +note=a=b, order_id=A-1042/);
      expect(human.stdout).toContain("No attempts yet.");
      const json = await cli("status", String(notification.id), "--json");
      expect(JSON.parse(json.stdout)).toMatchObject({ id: notification.id, status: "pending", attempts: [] });
    });

    it("sends from a template with its data, a priority and a lifetime, as the API takes them", async () => {
      const template = {
        key: "cli-otp",
        default_locale: "en",
        locales: { en: { sms: { text: "Code {{ data.code }}" } } },
      };
      const applied = await runCli(["templates", "apply", "-f", "-"], env, JSON.stringify(template));
      expect(applied.code, applied.stderr).toBe(0);
      const user = JSON.parse(
        (
          await cli(
            "users",
            "create",
            "--email",
            "cli-otp@example.com",
            "--password",
            "correct horse",
            "--json",
          )
        ).stdout,
      );
      const before = Date.now();
      const sent = await cli(
        "send",
        "--user",
        String(user.id),
        "--template",
        "cli-otp",
        "--data",
        '{"code": "4242"}',
        "--priority",
        "critical",
        "--ttl-seconds",
        "300",
        "--json",
      );
      expect(sent.code, sent.stderr).toBe(0);
      const { rows } = await db.query(
        "SELECT message, template, priority, expires_at, rendered FROM notifications WHERE id = $1",
        [JSON.parse(sent.stdout).id],
      );
      expect(rows[0]).toMatchObject({
        message: "Code 4242",
        template: "cli-otp",
        priority: "critical",
        rendered: { sms: { text: "Code 4242" } },
      });
      expect(rows[0].expires_at.getTime()).toBeGreaterThanOrEqual(before + 299_000);
      expect(rows[0].expires_at.getTime()).toBeLessThanOrEqual(Date.now() + 300_000);

      const scheduled = await cli(
        "send",
        "--user",
        String(user.id),
        "--message",
        "Later",
        "--send-at",
        "2099-01-01T00:00:00Z",
      );
      expect(scheduled).toMatchObject({
        code: 1,
        stderr: "error: invalid input\n  send_at: Schedule at most 366 days ahead.\n",
      });
      expect(await cli("send", "--user", String(user.id))).toMatchObject({
        code: 1,
        stderr: "error: invalid input\n  message: This field is required.\n",
      });
    });

    it("exits 1 for an unknown user, an unknown channel or notification, writing nothing", async () => {
      const before = (await db.query("SELECT count(*)::int AS n FROM notifications")).rows[0].n;
      expect(await cli("send", "--user", "999999", "--message", "hi")).toMatchObject({
        code: 1,
        stderr: 'error: invalid input\n  user: Invalid pk "999999" - object does not exist.\n',
      });
      const badChannel = await cli("send", "--user", "1", "--message", "hi", "--channels", "sms,fax");
      expect(badChannel).toMatchObject({
        code: 1,
        stderr: 'error: invalid input\n  channels: Unknown channel "fax": use sms, email or telegram.\n',
      });
      // The API's schema limits, in its words.
      const long = await cli("send", "--user", "1", "--message", "hi", "--subject", "s".repeat(256));
      expect(long).toMatchObject({
        code: 1,
        stderr: "error: invalid input\n  subject: Ensure this field has no more than 255 characters.\n",
      });
      expect((await db.query("SELECT count(*)::int AS n FROM notifications")).rows[0].n).toBe(before);
      expect(await cli("status", "999999")).toMatchObject({
        code: 1,
        stderr: "error: Notification 999999 not found.\n",
      });
    });
  });

  describe("retry and cancel", () => {
    it("cancels a pending notification and sends it again, saying why when it cannot", async () => {
      const user = JSON.parse(
        (await cli("users", "create", "--email", "hand@example.com", "--password", "correct horse", "--json"))
          .stdout,
      );
      const { id } = JSON.parse(
        (await cli("send", "--user", String(user.id), "--message", "hi", "--json")).stdout,
      );
      const status = async () =>
        (await db.query("SELECT status FROM notifications WHERE id = $1", [id])).rows[0].status;

      expect(await cli("cancel", String(id))).toMatchObject({
        code: 0,
        stdout: `Cancelled notification ${id}.\n`,
      });
      expect(await status()).toBe("cancelled");
      expect(await cli("cancel", String(id))).toMatchObject({
        code: 1,
        stderr: `error: Notification ${id} cannot be cancelled: it is already cancelled.\n`,
      });

      const retried = await cli("retry", String(id), "--json");
      expect(retried.code, retried.stderr).toBe(0);
      expect(JSON.parse(retried.stdout)).toMatchObject({ id, status: "pending" });
      expect(await status()).toBe("pending");
      const again = await cli("retry", String(id));
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(new RegExp(`^error: Notification ${id} cannot be retried: it is pending`));
      expect(await cli("cancel", "999999")).toMatchObject({
        code: 1,
        stderr: "error: Notification 999999 not found.\n",
      });
    });
  });

  describe("keys", () => {
    it("creates a key and prints it once, lists keys without them, and revokes one", async () => {
      const created = await cli("keys", "create", "--name", "billing");
      expect(created.code).toBe(0);
      const key = created.stdout.trim();
      expect(key).toMatch(/^nsk_\S+$/);
      expect(created.stderr).toMatch(/Created API key \d+ "billing"\. It is shown only this once/);
      const { rows } = await db.query(
        "SELECT id::int, name, key_prefix, key_hash, revoked_at FROM api_keys WHERE name = 'billing'",
      );
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(key);
      const id = rows[0].id as number;

      const list = await cli("keys", "list");
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^ID +NAME +PREFIX +CREATED +REVOKED\n/);
      expect(list.stdout).toMatch(
        new RegExp(
          `^${id} +billing +${rows[0].key_prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} +\\S+Z +-$`,
          "m",
        ),
      );
      expect(list.stdout).not.toContain(key);

      const revoked = await cli("keys", "revoke", String(id));
      expect(revoked).toMatchObject({ code: 0 });
      expect(revoked.stdout).toMatch(new RegExp(`^Revoked API key ${id} "billing"`));
      expect(
        (await db.query("SELECT revoked_at FROM api_keys WHERE id = $1", [id])).rows[0].revoked_at,
      ).not.toBeNull();
      const listed = JSON.parse((await cli("keys", "list", "--json")).stdout);
      expect(listed.find((k: { id: number }) => k.id === id)).toMatchObject({
        name: "billing",
        revoked_at: expect.any(String),
      });

      expect(await cli("keys", "revoke", "999999")).toMatchObject({
        code: 1,
        stderr: "error: API key 999999 not found.\n",
      });
      expect(await cli("keys", "create", "--name", " ")).toMatchObject({ code: 1 });
    });
  });

  describe("prune", () => {
    it("deletes finished notifications older than --days or RETENTION_DAYS, and says how many", async () => {
      const { rows: users } = await db.query<{ id: string }>(
        "INSERT INTO users (email, password_hash) VALUES ('prune@example.com', 'x') RETURNING id",
      );
      const insert = async (status: string, daysAgo: number) =>
        (
          await db.query<{ id: string }>(
            `INSERT INTO notifications (user_id, message, status, created_at, next_attempt_at)
             VALUES ($1, 'prune me', $2, now() - make_interval(days => $3), NULL) RETURNING id`,
            [users[0]!.id, status, daysAgo],
          )
        ).rows[0]!.id;
      const oldSent = await insert("sent", 10);
      const oldFailed = await insert("failed", 3);
      const oldPending = await insert("pending", 10);
      const recent = await insert("sent", 1);
      const remaining = async () =>
        (
          await db.query<{ id: string }>(
            "SELECT id FROM notifications WHERE message = 'prune me' ORDER BY id",
          )
        ).rows.map((row) => row.id);

      const unset = await cli("prune");
      expect(unset).toMatchObject({ code: 1, stdout: "" });
      expect(unset.stderr).toBe("error: give --days, or set RETENTION_DAYS: nothing is deleted by default\n");
      expect(await cli("prune", "--days", "0")).toMatchObject({ code: 2 });
      expect(await cli("prune", "--days", "soon")).toMatchObject({ code: 2 });
      expect(await remaining()).toEqual([oldSent, oldFailed, oldPending, recent]);

      const byFlag = await cli("prune", "--days", "5");
      expect(byFlag).toMatchObject({
        code: 0,
        stdout: "Deleted 1 finished notification created more than 5 days ago.\n",
      });
      expect(await remaining()).toEqual([oldFailed, oldPending, recent]);

      const byEnv = await runCli(["prune", "--json"], { ...env, RETENTION_DAYS: "2" });
      expect(byEnv.code).toBe(0);
      expect(JSON.parse(byEnv.stdout)).toEqual({ deleted: 1, days: 2 });
      expect(await remaining()).toEqual([oldPending, recent]);
    });
  });

  it("exits 1 with one clear line when the configuration is invalid or PostgreSQL is unreachable", async () => {
    expect(await runCli(["keys", "list"], { ...env, MAX_RETRIES: "lots" })).toMatchObject({
      code: 1,
      stdout: "",
      stderr: 'configuration error: MAX_RETRIES must be a number from 0 to 100, got "lots"\n',
    });
    const unreachable = await runCli(["keys", "list"], {
      ...env,
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/x",
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^error: cannot reach PostgreSQL \(.*ECONNREFUSED.*\)/);
  });
});
