import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SmsRuReceipts } from "../../src/channels/sms-ru/sms-ru-receipts.js";
import { FakeSmsRu, smsRuReplies } from "../support/fake-sms-ru.js";

const API_ID = "B4DB6A8F-SECRET-API-ID-0e2a8d3f";
const NUMBER = "79990001122";

let fake: FakeSmsRu;
let receipts: SmsRuReceipts;

beforeAll(async () => {
  fake = await FakeSmsRu.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  receipts = new SmsRuReceipts({
    apiUrl: fake.url,
    apiId: API_ID,
    senderName: null,
    receipts: true,
    callbackToken: null,
  });
});

/** Has the fake accept a message, as /sms/send would, so it knows the sms_id. */
async function accepted(smsId: string): Promise<void> {
  fake.replyNext(smsRuReplies.sent(NUMBER, smsId));
  await fetch(`${fake.url}/sms/send`, {
    method: "POST",
    body: new URLSearchParams({ api_id: API_ID, to: NUMBER }),
  });
}

describe("SMS.ru receipts: sms/status", () => {
  it("asks about many sms_ids in one POST, api_id in the body, never in the URL", async () => {
    for (const id of ["1-a", "1-b", "1-c"]) await accepted(id);
    const reports = await receipts.check(["1-a", "1-b", "1-c"], AbortSignal.timeout(5000));

    expect(fake.statusRequests).toHaveLength(1);
    expect(fake.statusRequests[0]).toMatchObject({
      method: "POST",
      path: "/sms/status",
      query: "",
      fields: { api_id: API_ID, sms_id: "1-a,1-b,1-c", json: "1" },
    });
    expect(reports).toEqual(
      ["1-a", "1-b", "1-c"].map((id) => ({
        providerMessageId: id,
        state: "in_transit",
        code: "102",
        text: "Сообщение отправлено (в пути)",
      })),
    );
  });

  it("maps 103 to delivered, each not-delivered code to undelivered, and -1 (not found) to in transit", async () => {
    await accepted("2-delivered");
    fake.setReceipt("2-delivered", 103);
    const undelivered = [104, 105, 106, 107, 108, 150];
    for (const code of undelivered) {
      await accepted(`2-${code}`);
      fake.setReceipt(`2-${code}`, code);
    }
    const ids = ["2-delivered", ...undelivered.map((code) => `2-${code}`), "2-never-sent"];
    const reports = await receipts.check(ids, AbortSignal.timeout(5000));
    if ("failure" in reports) throw new Error(reports.failure);

    const byId = new Map(reports.map((report) => [report.providerMessageId, report]));
    expect(byId.get("2-delivered")).toMatchObject({ state: "delivered", code: "103" });
    for (const code of undelivered) {
      expect(byId.get(`2-${code}`)).toMatchObject({ state: "undelivered", code: String(code) });
      expect(byId.get(`2-${code}`)?.text).toMatch(/^Не может быть доставлено/);
    }
    expect(byId.get("2-never-sent")).toMatchObject({ state: "in_transit", code: "-1" });
  });

  it("reports a refused request as a failure without the api_id", async () => {
    receipts = new SmsRuReceipts({
      apiUrl: fake.url,
      apiId: "",
      senderName: null,
      receipts: true,
      callbackToken: null,
    });
    const refused = await receipts.check(["3-a"], AbortSignal.timeout(5000));
    expect(refused).toEqual({ failure: expect.stringContaining("200") });

    receipts = new SmsRuReceipts({
      apiUrl: "http://127.0.0.1:9",
      apiId: API_ID,
      senderName: null,
      receipts: true,
      callbackToken: null,
    });
    const unreachable = await receipts.check(["3-a"], AbortSignal.timeout(5000));
    expect("failure" in unreachable).toBe(true);
    expect(JSON.stringify(unreachable)).not.toContain(API_ID);
  });
});
