import { describe, expect, it } from "vitest";
import { MAX_CALLBACK_ENTRIES, parseSmsRuCallback } from "../../src/channels/sms-ru/sms-ru-callback.js";
import { latestPerMessage } from "../../src/receipts/posted-receipts.js";

const form = (fields: Record<string, string>) => Object.entries(fields);

describe("parsing SMS.ru's status callback", () => {
  it("turns each sms_status entry into a receipt with SMS.ru's state, code and text, in data[] order", () => {
    expect(
      parseSmsRuCallback(
        form({
          "data[2]": "sms_status\n000000-000003\n102\n1764720002",
          "data[0]": "sms_status\n000000-000001\n103\n1764720000",
          "data[1]": "sms_status\r\n000000-000002\r\n150",
        }),
      ),
    ).toEqual({
      reports: [
        { providerMessageId: "000000-000001", state: "delivered", code: "103", text: "Сообщение доставлено" },
        {
          providerMessageId: "000000-000002",
          state: "undelivered",
          code: "150",
          text: "Не может быть доставлено: не найден маршрут на данный номер",
        },
        {
          providerMessageId: "000000-000003",
          state: "in_transit",
          code: "102",
          text: "Сообщение отправлено (в пути)",
        },
      ],
      otherEvents: 0,
      malformed: 0,
    });
  });

  it("takes every not-delivered code as undelivered and an undocumented one as in transit, without text", () => {
    for (const code of [104, 105, 106, 107, 108, 150]) {
      const parsed = parseSmsRuCallback(form({ "data[0]": `sms_status\nid-${code}\n${code}` }));
      expect(parsed).toMatchObject({ reports: [{ state: "undelivered", code: String(code) }] });
    }
    expect(parseSmsRuCallback(form({ "data[0]": "sms_status\nid\n999" }))).toMatchObject({
      reports: [{ state: "in_transit", code: "999", text: null }],
    });
  });

  it("counts other event types and sms_status entries it cannot read, without refusing the callback", () => {
    expect(
      parseSmsRuCallback(
        form({
          "data[0]": "callback_check\n1764720000",
          "data[1]": "sms_status\n\n103",
          "data[2]": "sms_status\nid\ndelivered",
          "data[3]": "sms_status\nid with spaces\n103",
          "data[4]": "sms_status\nok-id\n103",
          other: "ignored",
        }),
      ),
    ).toMatchObject({ reports: [{ providerMessageId: "ok-id" }], otherEvents: 1, malformed: 3 });
  });

  it("refuses a form without data[N] fields, and one with more entries than it takes", () => {
    expect(parseSmsRuCallback(form({}))).toEqual({
      invalid: expect.stringMatching(/not an SMS\.ru callback/i),
    });
    expect(parseSmsRuCallback(form({ data: "sms_status\nid\n103", "data[x]": "a" }))).toHaveProperty(
      "invalid",
    );
    const many = Array.from({ length: MAX_CALLBACK_ENTRIES + 1 }, (_, i): [string, string] => [
      `data[${i}]`,
      `sms_status\nid-${i}\n103`,
    ]);
    expect(parseSmsRuCallback(many)).toEqual({ invalid: expect.stringMatching(/at most 1000/) });
    expect(parseSmsRuCallback(many.slice(1))).toMatchObject({ malformed: 0 });
  });

  it("keeps one report per message: a final one over an in-transit one, else the last", () => {
    const report = (id: string, state: "in_transit" | "delivered" | "undelivered", code: string) => ({
      providerMessageId: id,
      state,
      code,
      text: null,
    });
    const latest = latestPerMessage([
      report("a", "in_transit", "101"),
      report("a", "in_transit", "102"),
      report("b", "delivered", "103"),
      report("b", "in_transit", "102"),
      report("c", "in_transit", "102"),
      report("c", "undelivered", "106"),
    ]);
    expect([...latest.values()].map((r) => [r.providerMessageId, r.code])).toEqual([
      ["a", "102"],
      ["b", "103"],
      ["c", "106"],
    ]);
  });
});
