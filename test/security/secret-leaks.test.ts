import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logging.js";
import { FakeSmsRu, smsRuReplies } from "../support/fake-sms-ru.js";
import { FakeTelegram, telegramReplies } from "../support/fake-telegram.js";
import { SmtpSink } from "../support/smtp-sink.js";
import { startTestService, type TestService } from "../support/test-service.js";

const SECRETS = {
  apiId: "SMSRU-API-ID-5f1e2d3c",
  botToken: "987654321:BOT-TOKEN-secret_zyx",
  smtpPassword: "SMTP-PASSWORD-7a8b9c",
  apiKey: "API-KEY-secret-0a1b2c3d",
  unsubscribeSecret: "UNSUBSCRIBE-SECRET-0123456789-abcdef",
};

/** The service's real pino logger, writing JSON lines into memory. */
function capturedPino(env: Record<string, string>) {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = createLogger(parseConfig({ ...env, LOG_LEVEL: "debug" }), destination);
  return { logger, text: () => chunks.join("") };
}

function expectNoSecret(where: string, text: string) {
  for (const [name, secret] of Object.entries(SECRETS)) {
    expect(text.includes(secret), `${name} found in ${where}`).toBe(false);
    expect(text.includes(encodeURIComponent(secret)), `${name} (URL-encoded) found in ${where}`).toBe(false);
  }
}

describe("secrets never leak", () => {
  const services: TestService[] = [];
  let smsRu: FakeSmsRu;
  let telegram: FakeTelegram;
  let smtp: SmtpSink;
  const logs: (() => string)[] = [];

  async function start(env: Record<string, string>) {
    const full = {
      SMS_RU_API_ID: SECRETS.apiId,
      TELEGRAM_BOT_TOKEN: SECRETS.botToken,
      EMAIL_HOST_USER: "mailer@example.com",
      EMAIL_HOST_PASSWORD: SECRETS.smtpPassword,
      API_KEYS: SECRETS.apiKey,
      PUBLIC_URL: "https://notify.example.com",
      UNSUBSCRIBE_SECRET: SECRETS.unsubscribeSecret,
      MAX_RETRIES: "1",
      PROVIDER_TIMEOUT_SECONDS: "2",
      CIRCUIT_COOLDOWN_SECONDS: "0",
      ...env,
    };
    const { logger, text } = capturedPino(full);
    logs.push(text);
    const service = await startTestService({ env: full, logger });
    services.push(service);
    return service;
  }

  beforeAll(async () => {
    [smsRu, telegram, smtp] = await Promise.all([
      FakeSmsRu.start(),
      FakeTelegram.start(),
      SmtpSink.start({ user: "mailer@example.com", password: "a-different-password" }),
    ]);
  });
  afterAll(async () => {
    for (const service of services) await service.close();
    await Promise.all([smsRu?.close(), telegram?.close(), smtp?.close()]);
  });

  async function deliverAndCollect(service: TestService, channels: string[]) {
    const user = await service.createUser({
      email: `leak${Math.random()}@example.com`,
      password: "long enough password",
      phone_number: "+79990001122",
      telegram_id: "1234",
    });
    const created = await service.createNotification({ user: user.id, message: "secret test", channels });
    const done = await service.waitForStatus(created.id, undefined, 20_000);
    const response = await service.inject({ method: "GET", url: `/api/notifications/${created.id}/` });
    const stored = await service.core.pool.query("SELECT * FROM attempts WHERE notification_id = $1", [
      created.id,
    ]);
    return { done, text: response.body + JSON.stringify(stored.rows) };
  }

  it("not in attempts, responses or logs when providers cannot be reached at all", async () => {
    // Nothing listens on port 9 here: every call is a network error whose message may quote the URL.
    const service = await start({
      SMS_RU_API_URL: "http://127.0.0.1:9",
      TELEGRAM_API_URL: "http://127.0.0.1:9",
      EMAIL_HOST: "127.0.0.1",
      EMAIL_PORT: "9",
      EMAIL_FROM: "noreply@example.com",
    });
    const { done, text } = await deliverAndCollect(service, ["sms", "telegram", "email"]);
    expect(done.status).toBe("failed");
    expect(done.attempts.every((attempt) => attempt.error_kind === "transient")).toBe(true);
    expectNoSecret("attempts and responses", text);
    expectNoSecret("logs", logs.at(-1)!());
  });

  it("not in attempts, responses or logs when providers answer with errors of every kind", async () => {
    const service = await start({
      SMS_RU_API_URL: smsRu.url,
      TELEGRAM_API_URL: telegram.url,
      EMAIL_HOST: smtp.host,
      EMAIL_PORT: String(smtp.port),
      EMAIL_FROM: "noreply@example.com",
    });
    smsRu.replyNext(smsRuReplies.requestError(200), { status: 500, raw: `error for ${SECRETS.apiId}` });
    telegram.replyNext(telegramReplies.unauthorized(), telegramReplies.serverError());
    const { done, text } = await deliverAndCollect(service, ["sms", "telegram", "email"]);
    expect(done.status).toBe("failed");
    const kinds = done.attempts.map((attempt) => `${attempt.channel}:${attempt.error_kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining(["sms:misconfigured", "telegram:misconfigured", "email:misconfigured"]),
    );
    expectNoSecret("attempts and responses", text);
    expectNoSecret("logs", logs.at(-1)!());
    // The fakes did receive the secrets, where they belong: proof the test exercised them.
    expect(smsRu.requests[0]?.fields.api_id).toBe(SECRETS.apiId);
    expect(telegram.requests[0]?.token).toBe(SECRETS.botToken);
  });

  it("not in configuration errors", () => {
    for (const env of [
      { TELEGRAM_BOT_TOKEN: `bad token ${SECRETS.botToken}` },
      { DATABASE_URL: `not a url ${SECRETS.smtpPassword}` },
      { REDIS_URL: `:${SECRETS.apiKey}` },
    ]) {
      let message = "";
      try {
        parseConfig(env);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe("");
      expectNoSecret("configuration error", message);
    }
  });

  it("the logger scrubs secrets from any field or message it is given", () => {
    const { logger, text } = capturedPino({
      ...SECRETS,
      SMS_RU_API_ID: SECRETS.apiId,
      API_KEYS: SECRETS.apiKey,
      TELEGRAM_BOT_TOKEN: SECRETS.botToken,
      EMAIL_HOST: "x",
      EMAIL_FROM: "a@b.c",
      EMAIL_HOST_PASSWORD: SECRETS.smtpPassword,
      PUBLIC_URL: "https://notify.example.com",
      UNSUBSCRIBE_SECRET: SECRETS.unsubscribeSecret,
    });
    logger.info({ signing: SECRETS.unsubscribeSecret }, "unsubscribe links");
    logger.error(
      { url: `https://api.telegram.org/bot${SECRETS.botToken}/sendMessage`, nested: { key: SECRETS.apiKey } },
      `failed with ${SECRETS.apiId}`,
    );
    logger.warn({ err: new Error(`auth ${SECRETS.smtpPassword}`) }, "boom");
    expect(text()).toContain("[REDACTED]");
    expectNoSecret("logger output", text());
  });
});
