import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliDatabase, migratedCliDatabase } from "../support/cli-database.js";
import { runCli } from "../support/run-cli.js";

const otp = {
  key: "otp",
  default_locale: "en",
  locales: {
    en: { sms: { text: "Your code is {{ data.code }}" } },
    ru: { sms: { text: "Код {{ data.code }}" } },
  },
};
const welcome = {
  key: "welcome",
  description: "First mail",
  default_locale: "en",
  locales: { en: { email: { subject: "Welcome", text: "Hi {{ user.first_name }}" } } },
};

// Each command is a fresh node process compiling TypeScript through tsx: allow for a loaded machine.
describe("notification-service templates", { timeout: 90_000 }, () => {
  let cliDatabase: CliDatabase;
  let env: Record<string, string>;
  let db: pg.Pool;
  const dir = mkdtempSync(join(tmpdir(), "ns-templates-"));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  const cli = (...args: string[]) => runCli(args, env);
  const keys = async () =>
    (await db.query("SELECT key FROM templates ORDER BY key")).rows.map((row) => row.key);

  beforeAll(async () => {
    cliDatabase = await migratedCliDatabase("ns-cli");
    ({ env, db } = cliDatabase);
  });
  afterAll(() => cliDatabase?.close());

  it("applies a file of templates, lists them and shows one in the shape apply takes", async () => {
    const applied = await cli("templates", "apply", "-f", file("both.json", [otp, welcome]));
    expect(applied).toMatchObject({ code: 0, stdout: "Created template otp.\nCreated template welcome.\n" });
    expect(await keys()).toEqual(["otp", "welcome"]);

    const again = await cli("templates", "apply", "-f", file("otp.json", { ...otp, description: "Codes" }));
    expect(again).toMatchObject({ code: 0, stdout: "Updated template otp.\n" });

    const list = await cli("templates", "list");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^KEY\s+LOCALES\s+CHANNELS/);
    expect(list.stdout).toMatch(/otp\s+en\*,ru\s+sms\s+\S+\s+Codes/);
    expect(list.stdout).toMatch(/welcome\s+en\*\s+email/);

    const shown = await cli("templates", "show", "otp");
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({ ...otp, description: "Codes" });
    expect((await cli("templates", "show", "nope")).code).toBe(1);
  });

  it("saves nothing when any template in the file is invalid, and names the problem with its line", async () => {
    const broken = { key: "broken", default_locale: "en", locales: { en: { sms: { text: "a\n{% if %}" } } } };
    const result = await cli(
      "templates",
      "apply",
      "-f",
      file("bad.json", [{ ...otp, key: "fresh" }, broken]),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken: locales\.en\.sms\.text: .*\(line 2, column \d+\)/);
    expect(await keys()).not.toContain("fresh");
    const notTemplate = await cli("templates", "apply", "-f", file("string.json", "otp"));
    expect(notTemplate).toMatchObject({ code: 1 });
    expect(notTemplate.stderr).toMatch(/file: Give a template object, or a list of them\./);
  });

  it("says what is wrong with a bad key and what a key may be, and names a key given twice", async () => {
    const badKey = await cli(
      "templates",
      "apply",
      "-f",
      file("bad-key.json", [{ ...otp, key: "Order Shipped" }]),
    );
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain(
      'Order Shipped: key: Enter a valid key: it may not contain "O", " " or "S". A key is 1-100 lowercase letters, digits, "-" or "_", starting and ending with a letter or digit (e.g. "otp", "order-shipped").',
    );
    const twice = await cli("templates", "apply", "-f", file("twice.json", [otp, otp]));
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("otp: key: This key appears more than once in the file.");
    expect(await keys()).not.toContain("Order Shipped");
  });

  it("names the field holding a character PostgreSQL cannot store, as the API does, and saves nothing", async () => {
    const withNul = { ...otp, key: "nul", locales: { en: { sms: { text: "Code\u0000 {{ data.code }}" } } } };
    const badKey = { ...otp, key: "bad\u0000key" };
    const result = await cli("templates", "apply", "-f", file("nul.json", [withNul, badKey]));
    expect(result).toMatchObject({
      code: 1,
      stderr: [
        "error: invalid input",
        "  nul: locales: Null characters are not allowed.",
        // A key that cannot be stored is named by its place in the file instead.
        "  #2: key: Null characters are not allowed.",
        "",
      ].join("\n"),
    });
    expect(await keys()).not.toContain("nul");
  });
});
