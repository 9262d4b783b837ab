import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SmtpConfig } from "../../src/channels/smtp/smtp-channel.js";
import { SmtpProvider, type SmtpProviderOptions } from "../../src/channels/smtp/smtp-provider.js";
import type { DeliveryOutcome } from "../../src/core/outcome.js";
import { SmtpSink } from "../support/smtp-sink.js";

const USER = "mailer";
const PASSWORD = "Sup3r-secret-smtp-password";
const TO = "jane@example.com";
const message = { to: TO, text: "Your order has shipped.", subject: "Order 42", notificationId: 42 };
// smtp-server's built-in localhost certificate is self-signed (and expired): trust it in tests.
const trustTestCertificate: SmtpProviderOptions = { tls: { rejectUnauthorized: false } };

let plain: SmtpSink;
let withStarttls: SmtpSink;
let implicitTls: SmtpSink;
let withAuth: SmtpSink;
let provider: SmtpProvider | null = null;

const config = (sink: { port: number }, overrides: Partial<SmtpConfig> = {}): SmtpConfig => ({
  host: "127.0.0.1",
  port: sink.port,
  useSsl: false,
  useTls: false,
  user: null,
  password: null,
  from: "Notifications <noreply@example.com>",
  ...overrides,
});

async function send(
  smtpConfig: SmtpConfig,
  options: SmtpProviderOptions = {},
  signal = AbortSignal.timeout(5000),
): Promise<DeliveryOutcome> {
  provider = new SmtpProvider(smtpConfig, options);
  const outcome = await provider.send(message, signal);
  expect(JSON.stringify(outcome)).not.toContain(PASSWORD);
  return outcome;
}

beforeAll(async () => {
  [plain, withStarttls, implicitTls, withAuth] = await Promise.all([
    SmtpSink.start(),
    SmtpSink.start({ starttls: true }),
    SmtpSink.start({ secure: true }),
    SmtpSink.start({ user: USER, password: PASSWORD }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain, withStarttls, implicitTls, withAuth].map((sink) => sink.close()));
});
beforeEach(() => {
  for (const sink of [plain, withStarttls, implicitTls, withAuth]) sink.reset();
});
afterEach(async () => {
  await provider?.close();
  provider = null;
});

describe("SMTP provider: delivery", () => {
  it("sends from EMAIL_FROM to the address with the subject and text; sent carries the Message-ID", async () => {
    const outcome = await send(config(plain));
    expect(plain.mails).toHaveLength(1);
    const [mail] = plain.mails;
    expect(mail).toMatchObject({
      mailFrom: "noreply@example.com",
      rcptTo: [TO],
      from: "noreply@example.com",
      fromName: "Notifications",
      subject: "Order 42",
      secure: false,
      authUser: null,
    });
    expect(mail?.text.trim()).toBe("Your order has shipped.");
    expect(outcome).toEqual({ kind: "sent", providerMessageId: mail?.messageId });
  });

  it("uses 'Notification' when the message has no subject", async () => {
    provider = new SmtpProvider(config(plain));
    await provider.send({ ...message, subject: null }, AbortSignal.timeout(5000));
    expect(plain.mails[0]?.subject).toBe("Notification");
  });

  it("logs in when a user is configured", async () => {
    const outcome = await send(config(withAuth, { user: USER, password: PASSWORD }));
    expect(outcome.kind).toBe("sent");
    expect(withAuth.mails[0]?.authUser).toBe(USER);
  });

  it("useTls upgrades with STARTTLS", async () => {
    expect((await send(config(withStarttls, { useTls: true }), trustTestCertificate)).kind).toBe("sent");
    expect(withStarttls.mails[0]?.secure).toBe(true);
  });

  it("useSsl speaks TLS from the first byte", async () => {
    expect((await send(config(implicitTls, { useSsl: true }), trustTestCertificate)).kind).toBe("sent");
    expect(implicitTls.mails[0]?.secure).toBe(true);
  });

  it("neither switch stays plain even when the server offers STARTTLS", async () => {
    expect((await send(config(withStarttls))).kind).toBe("sent");
    expect(withStarttls.mails[0]?.secure).toBe(false);
  });
});

describe("SMTP provider: refusals", () => {
  it("a 5xx for the recipient is permanent with the server's reply, and 550 proves the mailbox dead", async () => {
    plain.rejectNextRecipient(550, "5.1.1 No such user here");
    expect(await send(config(plain))).toEqual({
      kind: "permanent",
      code: "550",
      reason: "550 5.1.1 No such user here",
      deadAddress: "hard_bounce",
    });
    plain.rejectNextRecipient(552, "5.2.2 Mailbox full for good");
    expect(await send(config(plain))).toEqual({
      kind: "permanent",
      code: "552",
      reason: "552 5.2.2 Mailbox full for good",
    });
  });

  it("a 4xx for the recipient is transient", async () => {
    plain.rejectNextRecipient(452, "4.2.2 Mailbox full");
    expect(await send(config(plain))).toEqual({
      kind: "transient",
      code: "452",
      reason: "452 4.2.2 Mailbox full",
    });
  });

  it("a 5xx after DATA is permanent and nothing is stored", async () => {
    plain.rejectNextData(554, "5.7.1 Message rejected as spam");
    expect(await send(config(plain))).toMatchObject({ kind: "permanent", code: "554" });
    expect(plain.mails).toHaveLength(0);
  });

  it("a 4xx after DATA is transient", async () => {
    plain.rejectNextData(451, "4.3.0 Try again later");
    expect(await send(config(plain))).toMatchObject({ kind: "transient", code: "451" });
  });

  it("a wrong password (535) is misconfigured and the reason has no password", async () => {
    expect(await send(config(withAuth, { user: USER, password: "not-the-password" }))).toMatchObject({
      kind: "misconfigured",
      code: "535",
    });
  });

  it("a refused login (535) with the right password is misconfigured too", async () => {
    withAuth.failNextAuth(535, "5.7.8 Authentication credentials invalid");
    const outcome = await send(config(withAuth, { user: USER, password: PASSWORD }));
    expect(outcome).toEqual({
      kind: "misconfigured",
      code: "535",
      reason: "535 5.7.8 Authentication credentials invalid",
    });
  });

  it("no credentials where the server requires them (530) is misconfigured", async () => {
    expect(await send(config(withAuth))).toMatchObject({ kind: "misconfigured", code: "530" });
  });

  it("useTls against a server without STARTTLS is misconfigured", async () => {
    const outcome = await send(config(plain, { useTls: true }), trustTestCertificate);
    expect(outcome.kind).toBe("misconfigured");
    expect(plain.mails).toHaveLength(0);
  });

  it("an untrusted certificate is misconfigured", async () => {
    expect((await send(config(withStarttls, { useTls: true }))).kind).toBe("misconfigured");
  });

  it("useSsl against a plain port is misconfigured", async () => {
    expect((await send(config(plain, { useSsl: true }), trustTestCertificate)).kind).toBe("misconfigured");
  });
});

describe("SMTP provider: connection failures", () => {
  let silent: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never greets: a hung SMTP server.
    silent = createServer((socket) => sockets.add(socket));
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("a server that never answers ends as transient 'timed out' when the signal fires", async () => {
    const port = (silent.address() as AddressInfo).port;
    const started = Date.now();
    const outcome = await send(config({ port }), {}, AbortSignal.timeout(200));
    expect(outcome).toEqual({ kind: "transient", code: null, reason: "timed out" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("an already aborted signal sends nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await send(config(plain), {}, controller.signal)).toMatchObject({ kind: "transient" });
    expect(plain.mails).toHaveLength(0);
  });

  it("connection refused is transient and carries no password", async () => {
    const closed = await SmtpSink.start();
    const port = closed.port;
    await closed.close();
    const outcome = await send(config({ port }, { user: USER, password: PASSWORD }));
    expect(outcome.kind).toBe("transient");
    expect(outcome.kind === "transient" && outcome.reason).toContain("ECONNREFUSED");
  });
});
