import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig } from "../../src/config.js";
import { secretsOf } from "../../src/logging.js";

describe("configuration", () => {
  it("has defaults that run the quick start on the embedded database without Redis", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      port: 8000,
      host: "0.0.0.0",
      databaseUrl: null,
      embeddedDatabase: { dataDir: resolve("data") },
      redisUrl: null,
      channelOrder: ["sms", "email", "telegram"],
      maxRetries: 3,
      retryDelaySeconds: 60,
      retryBackoff: "fixed",
      providerTimeoutSeconds: 10,
      maxMessageLength: 10_000,
      bodyLimitBytes: 65_536,
      workerNice: 10,
      sms: null,
      email: null,
      telegram: null,
    });
    expect(Object.keys(config.missingChannels).sort()).toEqual(["email", "sms", "telegram"]);
  });

  it("chooses the database and Redis by one rule: a variable set means that server", () => {
    expect(parseConfig({ EMBEDDED_DATA_DIR: "/var/lib/ns" }).embeddedDatabase).toEqual({
      dataDir: "/var/lib/ns",
    });
    for (const name of [
      "POSTGRES_HOST",
      "POSTGRES_PORT",
      "POSTGRES_USER",
      "POSTGRES_PASSWORD",
      "POSTGRES_DB",
    ]) {
      const config = parseConfig({ [name]: name === "POSTGRES_PORT" ? "5433" : "x" });
      expect(config.embeddedDatabase).toBeNull();
      expect(config.databaseUrl).toMatch(/^postgresql:\/\//);
    }
    expect(parseConfig({ DATABASE_URL: "postgres://x@y/z" }).embeddedDatabase).toBeNull();
    expect(parseConfig({ REDIS_URL: "redis://cache:6379" }).redisUrl).toBe("redis://cache:6379");
    expect(parseConfig({ REDIS_URL: " " }).redisUrl).toBeNull();
  });

  it("refuses the embedded database in production unless opted in, in one line", () => {
    expect(() => parseConfig({ NODE_ENV: "production" })).toThrow(
      /NODE_ENV=production and no database is configured: set DATABASE_URL .* EMBEDDED_DATABASE_IN_PRODUCTION=true/,
    );
    const optedIn = parseConfig({ NODE_ENV: "production", EMBEDDED_DATABASE_IN_PRODUCTION: "true" });
    expect(optedIn.embeddedDatabase).not.toBeNull();
    expect(parseConfig({ NODE_ENV: "production", DATABASE_URL: "postgres://x@y/z" }).databaseUrl).toBe(
      "postgres://x@y/z",
    );
  });

  it("makes unsubscribe links only with PUBLIC_URL and a long UNSUBSCRIBE_SECRET, and checks CRITICAL_CATEGORIES", () => {
    expect(parseConfig({}).audiences).toEqual({
      publicUrl: null,
      unsubscribeSecret: null,
      criticalCategories: [],
    });
    const secret = "s".repeat(32);
    expect(
      parseConfig({
        PUBLIC_URL: "https://n.example.com/",
        UNSUBSCRIBE_SECRET: secret,
        CRITICAL_CATEGORIES: "security, billing",
      }).audiences,
    ).toEqual({
      publicUrl: "https://n.example.com",
      unsubscribeSecret: secret,
      criticalCategories: ["security", "billing"],
    });
    expect(() => parseConfig({ PUBLIC_URL: "https://n.example.com" })).toThrow(/UNSUBSCRIBE_SECRET is not/);
    expect(() => parseConfig({ UNSUBSCRIBE_SECRET: "short" })).toThrow(
      /UNSUBSCRIBE_SECRET must be at least 32/,
    );
    expect(() => parseConfig({ PUBLIC_URL: "ftp://x", UNSUBSCRIBE_SECRET: secret })).toThrow(/PUBLIC_URL/);
    expect(() => parseConfig({ CRITICAL_CATEGORIES: "Security!" })).toThrow(/CRITICAL_CATEGORIES/);
  });

  it("turns SMS receipts off with SMS_RECEIPTS=false, and refuses a receipt deadline without them", () => {
    const settings = (env: Record<string, string>) => parseConfig({ SMS_RU_API_ID: "id", ...env }).sms;
    expect(settings({})?.receipts).toBe(true);
    expect(settings({ SMS_RECEIPTS: "false" })?.receipts).toBe(false);
    expect(() => parseConfig({ SMS_RECEIPTS: "false", SMS_RECEIPT_TIMEOUT_SECONDS: "60" })).toThrow(
      /SMS_RECEIPT_TIMEOUT_SECONDS needs SMS receipts/,
    );
  });

  it("takes SMS_RU_CALLBACK_TOKEN only long, path-safe, with SMS.ru and receipts on, and hides it in logs", () => {
    const token = "a-callback-token-of-32-characters-at-least";
    const config = parseConfig({ SMS_RU_API_ID: "id", SMS_RU_CALLBACK_TOKEN: token });
    expect(config.sms?.callbackToken).toBe(token);
    expect(secretsOf(config)).toContain(token);
    expect(parseConfig({ SMS_RU_API_ID: "id" }).sms?.callbackToken).toBeNull();
    const refused = (env: Record<string, string>, message: RegExp) => {
      expect(() => parseConfig({ SMS_RU_API_ID: "id", ...env })).toThrow(ConfigError);
      expect(() => parseConfig({ SMS_RU_API_ID: "id", ...env })).toThrow(message);
    };
    refused({ SMS_RU_CALLBACK_TOKEN: "short-token" }, /SMS_RU_CALLBACK_TOKEN must be 32 to 128 characters/);
    refused({ SMS_RU_CALLBACK_TOKEN: "x".repeat(129) }, /SMS_RU_CALLBACK_TOKEN must be 32 to 128/);
    refused({ SMS_RU_CALLBACK_TOKEN: `${token}/..` }, /SMS_RU_CALLBACK_TOKEN may only contain/);
    refused(
      { SMS_RU_CALLBACK_TOKEN: token, SMS_RECEIPTS: "false" },
      /SMS_RU_CALLBACK_TOKEN needs SMS receipts/,
    );
    expect(() => parseConfig({ SMS_RU_CALLBACK_TOKEN: token })).toThrow(/SMS_RU_API_ID is not/);
    // The message names the variable, never the value.
    expect(() =>
      parseConfig({ SMS_RU_API_ID: "id", SMS_RU_CALLBACK_TOKEN: "short-secret-value" }),
    ).not.toThrow(/short-secret-value/);
  });

  it("keeps Telegram connect links off unless TELEGRAM_LINKS=true, which needs a bot token", () => {
    const token = "123:a-bot-token";
    expect(parseConfig({ TELEGRAM_BOT_TOKEN: token }).telegram?.links).toBeNull();
    expect(parseConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_LINKS: "true" }).telegram?.links).toEqual({
      ttlSeconds: 86_400,
      welcomeText: expect.stringContaining("connected"),
    });
    expect(
      parseConfig({
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_LINKS: "true",
        TELEGRAM_LINK_TTL_SECONDS: "600",
        TELEGRAM_LINK_WELCOME: "Hi!",
      }).telegram?.links,
    ).toEqual({ ttlSeconds: 600, welcomeText: "Hi!" });
    expect(() => parseConfig({ TELEGRAM_LINKS: "true" })).toThrow(
      /TELEGRAM_LINKS=true needs TELEGRAM_BOT_TOKEN/,
    );
    expect(() => parseConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_LINK_TTL_SECONDS: "5" })).toThrow(
      /TELEGRAM_LINK_TTL_SECONDS must be a number from 60/,
    );
    expect(() => parseConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_LINKS: "maybe" })).toThrow(ConfigError);
  });

  it("builds the database URL from the original's POSTGRES_* names, and lets DATABASE_URL win", () => {
    const env = {
      POSTGRES_HOST: "db",
      POSTGRES_PORT: "6543",
      POSTGRES_USER: "app",
      POSTGRES_PASSWORD: "p@ss/word",
      POSTGRES_DB: "notes",
    };
    expect(parseConfig(env).databaseUrl).toBe("postgresql://app:p%40ss%2Fword@db:6543/notes");
    expect(parseConfig({ ...env, DATABASE_URL: "postgres://x@y/z" }).databaseUrl).toBe("postgres://x@y/z");
  });

  it("reads the channels' settings with the original's names", () => {
    const config = parseConfig({
      CHANNEL_ORDER: " Telegram , sms ",
      SMS_RU_API_ID: "id",
      SMS_SENDER_NAME: "Notifier",
      EMAIL_HOST: "smtp.example.com",
      EMAIL_USE_SSL: "True",
      EMAIL_HOST_USER: "me@example.com",
      EMAIL_HOST_PASSWORD: "pw",
      TELEGRAM_BOT_TOKEN: "1:abc",
      TELEGRAM_CHAT_ID: "-100",
      RETRY_DELAY_SECONDS: "0.5",
    });
    expect(config.channelOrder).toEqual(["telegram", "sms"]);
    expect(config.sms).toEqual({
      apiUrl: "https://sms.ru",
      apiId: "id",
      senderName: "Notifier",
      receipts: true,
      callbackToken: null,
    });
    expect(config.email).toMatchObject({
      host: "smtp.example.com",
      port: 465,
      useSsl: true,
      useTls: false,
      from: "me@example.com",
    });
    expect(config.telegram).toMatchObject({
      botToken: "1:abc",
      defaultChatId: "-100",
      apiUrl: "https://api.telegram.org",
    });
    expect(config.retryDelaySeconds).toBe(0.5);
    expect(config.missingChannels).toEqual({});
  });

  it.each([
    [{ PORT: "eighty" }, /PORT/],
    [{ MAX_RETRIES: "-1" }, /MAX_RETRIES/],
    [{ MAX_RETRIES: "1.5" }, /MAX_RETRIES/],
    [{ RETRY_DELAY_SECONDS: "soon" }, /RETRY_DELAY_SECONDS/],
    [{ CHANNEL_ORDER: "sms,fax" }, /CHANNEL_ORDER/],
    [{ CHANNEL_ORDER: "sms,sms" }, /CHANNEL_ORDER/],
    [{ RETRY_BACKOFF: "linear" }, /RETRY_BACKOFF/],
    [
      { EMAIL_HOST: "h", EMAIL_FROM: "a@b.c", EMAIL_USE_SSL: "true", EMAIL_USE_TLS: "true" },
      /EMAIL_USE_SSL and EMAIL_USE_TLS/,
    ],
    [{ EMAIL_USE_TLS: "maybe" }, /EMAIL_USE_TLS/],
    [{ EMAIL_HOST: "smtp.example.com" }, /EMAIL_FROM/],
    [{ TELEGRAM_BOT_TOKEN: "not-a-token" }, /TELEGRAM_BOT_TOKEN/],
    [{ TELEGRAM_CHAT_ID: "@channel" }, /TELEGRAM_CHAT_ID/],
    [{ REDIS_URL: "http://localhost" }, /REDIS_URL/],
    [{ DATABASE_URL: "nonsense" }, /DATABASE_URL/],
  ])("stops with one line naming the variable for %j", (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it("reads a .env file, under the real environment", () => {
    const dir = mkdtempSync(join(tmpdir(), "ns-config-"));
    const file = join(dir, ".env");
    writeFileSync(file, "MAX_RETRIES=7\nPORT=9001\n# comment\nSMS_SENDER_NAME='From File'\n");
    const config = loadConfig({ PORT: "9002" }, file);
    expect(config.maxRetries).toBe(7);
    expect(config.port).toBe(9002);
  });
});

describe(".env.example", () => {
  it("lists every variable the service reads", async () => {
    const { readFile, readdir } = await import("node:fs/promises");
    const root = new URL("../../", import.meta.url);
    const example = await readFile(new URL(".env.example", root), "utf8");
    const files = (await readdir(new URL("src/", root), { recursive: true })).filter((file) =>
      file.endsWith(".ts"),
    );
    const read = new Set<string>();
    for (const file of files) {
      const source = await readFile(new URL(`src/${file}`, root), "utf8");
      for (const match of source.matchAll(/read\.\w+\(\s*"([A-Z][A-Z0-9_]+)"/g)) read.add(match[1]!);
    }
    expect(read.size).toBeGreaterThan(40);
    const missing = [...read].filter((name) => !new RegExp(`^(# ?)?${name}=`, "m").test(example));
    expect(missing).toEqual([]);
  });
});
