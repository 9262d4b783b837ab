import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SmsRuConfig } from "../../src/channels/sms-ru/sms-ru-channel.js";
import { SmsRuProvider } from "../../src/channels/sms-ru/sms-ru-provider.js";
import type { DeliveryOutcome } from "../../src/core/outcome.js";
import { type FakeReply, FakeSmsRu, smsRuReplies, smsRuStatusText } from "../support/fake-sms-ru.js";

const API_ID = "A3CA597E-SECRET-API-ID-7d1f9c2e";
const NUMBER = "79990001122";
const message = { to: `+${NUMBER}`, text: "Привет, мир", subject: null, notificationId: 1 };

let fake: FakeSmsRu;
let provider: SmsRuProvider;

const config = (overrides: Partial<SmsRuConfig> = {}): SmsRuConfig => ({
  apiUrl: fake.url,
  apiId: API_ID,
  senderName: null,
  receipts: true,
  callbackToken: null,
  ...overrides,
});

async function sendWith(
  reply: FakeReply | null,
  signal = AbortSignal.timeout(5000),
): Promise<DeliveryOutcome> {
  if (reply) fake.replyNext(reply);
  const outcome = await provider.send(message, signal);
  expect(JSON.stringify(outcome)).not.toContain(API_ID);
  return outcome;
}

beforeAll(async () => {
  fake = await FakeSmsRu.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  provider = new SmsRuProvider(config());
});

describe("SMS.ru provider: what it sends", () => {
  it("posts a form to /sms/send with api_id in the body, never in the URL", async () => {
    await sendWith(null);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/sms/send");
    expect(request?.query).toBe("");
    expect(request?.contentType).toContain("application/x-www-form-urlencoded");
    expect(request?.fields).toEqual({ api_id: API_ID, to: NUMBER, msg: "Привет, мир", json: "1" });
  });

  it("adds the sender name as `from` when one is configured", async () => {
    provider = new SmsRuProvider(config({ senderName: "MyShop" }));
    await sendWith(null);
    expect(fake.requests[0]?.fields.from).toBe("MyShop");
  });
});

describe("SMS.ru provider: success", () => {
  it("is sent only when the number's own entry has status_code 100, keeping sms_id and balance", async () => {
    const outcome = await sendWith(smsRuReplies.sent(NUMBER, "000000-10000042", 12.5));
    expect(outcome).toEqual({
      kind: "sent",
      providerMessageId: "000000-10000042",
      details: { balance: 12.5 },
    });
  });

  it("uses the only entry of the map when SMS.ru keyed it differently", async () => {
    const outcome = await sendWith(smsRuReplies.sent("89990001122", "000000-10000043"));
    expect(outcome).toMatchObject({ kind: "sent", providerMessageId: "000000-10000043" });
  });
});

describe("SMS.ru provider: top-level errors are never sent", () => {
  it.each([
    [200, "misconfigured"],
    [201, "misconfigured"],
    [204, "misconfigured"],
    [300, "misconfigured"],
    [301, "misconfigured"],
    [302, "misconfigured"],
    [220, "transient"],
    [500, "transient"],
  ] as const)("status_code %i without an sms map is %s", async (code, kind) => {
    const outcome = await sendWith(smsRuReplies.requestError(code));
    expect(outcome).toEqual({ kind, code: String(code), reason: smsRuStatusText(code) });
  });

  it("a top-level error wins even if an sms map came along", async () => {
    fake.replyNext({
      body: {
        status: "ERROR",
        status_code: 201,
        status_text: smsRuStatusText(201),
        sms: { [NUMBER]: { status: "OK", status_code: 100, sms_id: "x" } },
      },
    });
    expect(await sendWith(null)).toMatchObject({ kind: "misconfigured", code: "201" });
  });

  it("an OK request without an entry for the number is not sent", async () => {
    const outcome = await sendWith({ body: { status: "OK", status_code: 100, sms: {}, balance: 1 } });
    expect(outcome.kind).toBe("transient");
  });
});

describe("SMS.ru provider: per-number errors", () => {
  it.each([202, 203, 205, 207, 209, 212, 214, 215, 216, 217])("status_code %i is permanent", async (code) => {
    const outcome = await sendWith(smsRuReplies.numberError(NUMBER, code));
    // 202 and 207 say the number itself cannot be reached: it is then suppressed.
    const dead = code === 202 || code === 207 ? { deadAddress: "invalid_number" } : {};
    expect(outcome).toEqual({
      kind: "permanent",
      code: String(code),
      reason: smsRuStatusText(code),
      ...dead,
    });
  });

  it.each([
    [206, 3600],
    [230, 3600],
    [231, 60],
    [232, 3600],
    [233, 300],
    [501, 300],
    [502, 300],
    [503, 300],
    [504, 300],
    [505, 300],
    [506, 3600],
    [507, 3600],
    [508, 300],
  ])("status_code %i is rate limited for %i s", async (code, seconds) => {
    const outcome = await sendWith(smsRuReplies.numberError(NUMBER, code));
    expect(outcome).toEqual({
      kind: "rate_limited",
      code: String(code),
      reason: smsRuStatusText(code),
      retryAfterSeconds: seconds,
    });
  });

  it("an unknown status_code is transient with SMS.ru's text", async () => {
    const outcome = await sendWith({
      body: {
        status: "OK",
        status_code: 100,
        sms: { [NUMBER]: { status: "ERROR", status_code: 777, status_text: "Новая ошибка" } },
      },
    });
    expect(outcome).toEqual({ kind: "transient", code: "777", reason: "Новая ошибка" });
  });
});

describe("SMS.ru provider: transport failures", () => {
  it("HTTP 500 is transient and never sent", async () => {
    const outcome = await sendWith({ status: 500, raw: "<h1>Internal Server Error</h1>" });
    expect(outcome).toMatchObject({ kind: "transient", code: null });
    expect(outcome.kind === "transient" && outcome.reason).toContain("HTTP 500");
  });

  it("HTTP 500 carrying a success body is still not sent", async () => {
    expect((await sendWith({ ...smsRuReplies.sent(NUMBER), status: 503 })).kind).toBe("transient");
  });

  it("an unparseable body is transient", async () => {
    const outcome = await sendWith({ status: 200, raw: "100\n000000-10000000\nbalance=1" });
    expect(outcome.kind).toBe("transient");
  });

  it("a redirect means a wrong API URL: misconfigured", async () => {
    const outcome = await sendWith({ status: 301, raw: "moved" });
    expect(outcome.kind).toBe("misconfigured");
  });

  it("a dropped connection is transient", async () => {
    const outcome = await sendWith({ drop: true });
    expect(outcome).toMatchObject({ kind: "transient", code: null });
  });

  it("a hanging server ends as transient 'timed out' when the signal fires", async () => {
    const started = Date.now();
    const outcome = await sendWith({ hangMs: 5000 }, AbortSignal.timeout(200));
    expect(outcome).toEqual({ kind: "transient", code: null, reason: "timed out" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("connection refused is transient and its message carries no api_id", async () => {
    const closed = await FakeSmsRu.start();
    const url = closed.url;
    await closed.close();
    provider = new SmsRuProvider(config({ apiUrl: url }));
    const outcome = await sendWith(null);
    expect(outcome.kind).toBe("transient");
    expect(outcome.kind === "transient" && outcome.reason).toContain("ECONNREFUSED");
  });

  it("a reply quoting the api_id has it redacted", async () => {
    fake.replyNext({
      body: { status: "ERROR", status_code: 200, status_text: `Неправильный api_id ${API_ID}` },
    });
    const outcome = await sendWith(null);
    expect(outcome).toMatchObject({ kind: "misconfigured", code: "200" });
  });
});

describe("SMS.ru provider: messages sent together share a call", () => {
  const to = (n: number) => `7999000${String(n).padStart(4, "0")}`;
  const messageTo = (n: number, text = `text ${n}`) => ({ ...message, to: `+${to(n)}`, text });
  const sendAll = (messages: (typeof message)[], signal = AbortSignal.timeout(5000)) =>
    Promise.all(messages.map((each) => provider.send(each, signal)));

  it("sends the messages of one tick in one call as multi[number]=text, each with its own sms_id", async () => {
    const outcomes = await sendAll([messageTo(1), messageTo(2), messageTo(3, "третий")]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.fields).toEqual({
      api_id: API_ID,
      [`multi[${to(1)}]`]: "text 1",
      [`multi[${to(2)}]`]: "text 2",
      [`multi[${to(3)}]`]: "третий",
      json: "1",
    });
    const ids = outcomes.map((outcome) => (outcome.kind === "sent" ? outcome.providerMessageId : null));
    expect(new Set(ids).size).toBe(3);
    expect(ids).toEqual(fake.smsIds);
  });

  it("gives each message the outcome of its own number's entry", async () => {
    fake.replyNext({
      body: {
        status: "OK",
        status_code: 100,
        sms: {
          [to(1)]: { status: "OK", status_code: 100, sms_id: "000000-1" },
          [to(2)]: { status: "ERROR", status_code: 207, status_text: smsRuStatusText(207) },
          [to(3)]: { status: "ERROR", status_code: 231, status_text: smsRuStatusText(231) },
        },
        balance: 10,
      },
    });
    const [first, second, third] = await sendAll([messageTo(1), messageTo(2), messageTo(3)]);
    expect(first).toEqual({ kind: "sent", providerMessageId: "000000-1", details: { balance: 10 } });
    expect(second).toMatchObject({ kind: "permanent", code: "207", deadAddress: "invalid_number" });
    expect(third).toMatchObject({ kind: "rate_limited", code: "231", retryAfterSeconds: 60 });
  });

  it("fails every message of the call on a top-level error", async () => {
    fake.replyNext(smsRuReplies.requestError(201));
    const outcomes = await sendAll([messageTo(1), messageTo(2)]);
    expect(outcomes.map((outcome) => [outcome.kind, "code" in outcome && outcome.code])).toEqual([
      ["misconfigured", "201"],
      ["misconfigured", "201"],
    ]);
  });

  it("never takes another number's entry: a number missing from the reply is not sent", async () => {
    fake.replyNext({
      body: {
        status: "OK",
        status_code: 100,
        sms: { [to(1)]: { status: "OK", status_code: 100, sms_id: "000000-1" } },
      },
    });
    const [first, second] = await sendAll([messageTo(1), messageTo(2)]);
    expect(first).toMatchObject({ kind: "sent", providerMessageId: "000000-1" });
    expect(second?.kind).toBe("transient");
  });

  it("sends a second message to the same number in a call of its own, as `to`", async () => {
    const outcomes = await sendAll([messageTo(1, "first"), messageTo(2), messageTo(1, "second")]);
    expect(outcomes.every((outcome) => outcome.kind === "sent")).toBe(true);
    expect(fake.requests.map((request) => FakeSmsRu.messagesOf(request))).toEqual([
      { [to(1)]: "first", [to(2)]: "text 2" },
      { [to(1)]: "second" },
    ]);
    expect(fake.requests[1]?.fields.to).toBe(to(1));
  });

  it("puts at most 100 numbers in a call", async () => {
    const outcomes = await sendAll(Array.from({ length: 150 }, (_, n) => messageTo(n)));
    expect(outcomes.every((outcome) => outcome.kind === "sent")).toBe(true);
    expect(fake.requests.map((request) => Object.keys(FakeSmsRu.messagesOf(request)).length)).toEqual([
      100, 50,
    ]);
  });

  it("does not send a message whose signal aborted before its call went", async () => {
    const aborted = new AbortController();
    const late = provider.send(messageTo(1), aborted.signal);
    aborted.abort();
    const [other] = await sendAll([messageTo(2)]);
    expect(await late).toEqual({ kind: "transient", code: null, reason: "timed out" });
    expect(other?.kind).toBe("sent");
    expect(fake.messages.map((sent) => sent.number)).toEqual([to(2)]);
  });

  it("ends the whole call as timed out when the signal fires", async () => {
    fake.replyNext({ hangMs: 5000 });
    const outcomes = await sendAll([messageTo(1), messageTo(2)], AbortSignal.timeout(200));
    expect(outcomes).toEqual([
      { kind: "transient", code: null, reason: "timed out" },
      { kind: "transient", code: null, reason: "timed out" },
    ]);
  });
});
