import { describe, expect, it } from "vitest";
import { audienceSkip, offersUnsubscribe } from "../../src/audiences/audience-gate.js";
import { parsePreferences, storedPreferences, turnedOffBy } from "../../src/audiences/preferences.js";
import { normalizeSuppressionAddress } from "../../src/audiences/suppression-address.js";
import { UnsubscribeLinks } from "../../src/audiences/unsubscribe-token.js";
import { outcomeOfReply as smsRuOutcome } from "../../src/channels/sms-ru/sms-ru-reply.js";
import { outcomeOfSmtpError } from "../../src/channels/smtp/smtp-error.js";
import { outcomeOfReply as telegramOutcome } from "../../src/channels/telegram/telegram-reply.js";
import { nextStep } from "../../src/core/delivery-policy.js";
import type { ValidationError } from "../../src/core/errors.js";

const critical = new Set(["security"]);
const normal = { priority: "normal" as const, category: "marketing" };

describe("preferences", () => {
  it("accepts a document of channel switches and names every problem of a bad one", () => {
    expect(
      parsePreferences({ channels: { sms: false }, categories: { marketing: { email: false } } }),
    ).toEqual({
      channels: { sms: false },
      categories: { marketing: { email: false } },
    });
    expect(parsePreferences({})).toEqual({ channels: {}, categories: {} });
    try {
      parsePreferences({ channels: { fax: false, sms: "no" }, categories: { "Bad Slug": {} }, extra: 1 });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields).toEqual({
        extra: [expect.any(String)],
        "channels.fax": [expect.any(String)],
        "channels.sms": ["Must be true or false."],
        "categories.Bad Slug": [expect.any(String)],
      });
    }
  });

  it("turns a channel off globally or for one category only", () => {
    const preferences = { channels: { sms: false }, categories: { marketing: { email: false } } };
    expect(turnedOffBy(preferences, "sms", null)).toBe("channel");
    expect(turnedOffBy(preferences, "email", "marketing")).toBe("category");
    expect(turnedOffBy(preferences, "email", "billing")).toBeNull();
    expect(turnedOffBy(preferences, "email", null)).toBeNull();
    expect(turnedOffBy(null, "sms", "marketing")).toBeNull();
  });

  it("reads a stored document leniently", () => {
    expect(storedPreferences(null)).toBeNull();
    expect(
      storedPreferences({ channels: { sms: false, fax: false }, categories: { a: { email: "x" } } }),
    ).toEqual({
      channels: { sms: false },
      categories: { a: {} },
    });
  });
});

describe("the audience gate", () => {
  const preferences = {
    channels: { sms: false },
    categories: { marketing: { email: false }, security: { email: false } },
  };

  it("skips for a preference unless the notification is critical, and always for a suppression", () => {
    const audience = { preferences, suppressedChannels: ["telegram" as const] };
    expect(audienceSkip("sms", normal, audience, critical)?.cause).toBe("preference");
    expect(audienceSkip("email", normal, audience, critical)?.cause).toBe("preference");
    expect(
      audienceSkip("email", { priority: "critical", category: "marketing" }, audience, critical),
    ).toBeNull();
    expect(
      audienceSkip("email", { priority: "normal", category: "security" }, audience, critical),
    ).toBeNull();
    expect(
      audienceSkip("telegram", { priority: "critical", category: "security" }, audience, critical)?.cause,
    ).toBe("suppressed");
  });

  it("offers an unsubscribe link only for a category the user may turn off", () => {
    expect(offersUnsubscribe(normal, critical)).toBe(true);
    expect(offersUnsubscribe({ priority: "normal", category: null }, critical)).toBe(false);
    expect(offersUnsubscribe({ priority: "critical", category: "marketing" }, critical)).toBe(false);
    expect(offersUnsubscribe({ priority: "normal", category: "security" }, critical)).toBe(false);
  });

  it("fails a notification at once, saying why, when preferences and suppressions leave no channel", () => {
    const settings = {
      maxRetries: 3,
      retryDelaySeconds: 1,
      retryBackoff: "fixed" as const,
      retryMaxDelaySeconds: 1,
    };
    const step = (causes: ("preference" | "suppressed")[]) =>
      nextStep({
        channels: ["sms", "email"],
        history: causes.map((cause, index) => ({
          channel: (["sms", "email"] as const)[index]!,
          round: 1,
          result: "skipped" as const,
          cause,
        })),
        retryCount: 0,
        settings,
        random: () => 0,
      });
    expect(step(["preference", "preference"])).toEqual({
      type: "fail",
      reason: "the recipient turned off every channel of this notification in their preferences",
    });
    expect(step(["preference", "suppressed"])).toEqual({
      type: "fail",
      reason:
        "no channel may deliver this notification: sms turned off in the recipient's preferences, email suppressed",
    });
  });
});

describe("suppressed addresses", () => {
  it("are spelled one way, as contacts are", () => {
    expect(normalizeSuppressionAddress("sms", "8 (999) 000-11-22", "RU")).toBe("+79990001122");
    expect(normalizeSuppressionAddress("email", " Bob@Example.COM ", "RU")).toBe("bob@example.com");
    expect(normalizeSuppressionAddress("telegram", "-100123", "RU")).toBe("-100123");
    expect(normalizeSuppressionAddress("telegram", "@bob", "RU")).toBeNull();
    expect(normalizeSuppressionAddress("sms", "not a number", "RU")).toBeNull();
  });

  it("come from the replies that prove an address dead, and only those", () => {
    const telegram = (code: number, description: string) =>
      telegramOutcome({ status: code, text: "", json: { ok: false, error_code: code, description } });
    expect(telegram(403, "Forbidden: bot was blocked by the user")).toMatchObject({
      deadAddress: "bot_blocked",
    });
    expect(telegram(403, "Forbidden: user is deactivated")).toMatchObject({ deadAddress: "bot_blocked" });
    expect(telegram(403, "Forbidden: bot was kicked from the group chat")).not.toHaveProperty("deadAddress");
    expect(telegram(400, "Bad Request: chat not found")).not.toHaveProperty("deadAddress");

    const smtp = (responseCode: number, command: string) =>
      outcomeOfSmtpError({ responseCode, command, response: `${responseCode} refused` });
    for (const code of [550, 551, 553])
      expect(smtp(code, "RCPT TO")).toMatchObject({ deadAddress: "hard_bounce" });
    expect(smtp(552, "RCPT TO")).not.toHaveProperty("deadAddress");
    expect(smtp(550, "DATA")).not.toHaveProperty("deadAddress");
    expect(smtp(450, "RCPT TO")).not.toHaveProperty("deadAddress");

    const sms = (code: number) =>
      smsRuOutcome(
        {
          status: 200,
          text: "",
          json: {
            status: "OK",
            status_code: 100,
            sms: { "79990001122": { status: "ERROR", status_code: code } },
          },
        },
        "79990001122",
      );
    expect(sms(202)).toMatchObject({ deadAddress: "invalid_number" });
    expect(sms(207)).toMatchObject({ deadAddress: "invalid_number" });
    for (const code of [203, 205, 209, 214, 215]) expect(sms(code)).not.toHaveProperty("deadAddress");
  });
});

describe("unsubscribe links", () => {
  const links = new UnsubscribeLinks("https://example.com/", "a-secret-of-at-least-thirty-two-chars");

  it("verify what they made, bound to the user and the category", () => {
    const link = links.linkFor(42, "marketing");
    expect(link).toMatch(/^https:\/\/example\.com\/u\/42\.marketing\.[A-Za-z0-9_-]{43}$/);
    const token = link.split("/u/")[1]!;
    expect(links.verify(token)).toEqual({ userId: 42, category: "marketing" });
    const mac = token.split(".")[2]!;
    expect(links.verify(`43.marketing.${mac}`)).toBeNull();
    expect(links.verify(`42.billing.${mac}`)).toBeNull();
    expect(links.verify(`42.marketing.${mac.slice(1)}A`)).toBeNull();
    expect(links.verify("")).toBeNull();
  });

  it("stop working when the secret is rotated", () => {
    const token = links.tokenFor(42, "marketing");
    expect(
      new UnsubscribeLinks("https://example.com", "another-secret-of-thirty-two-chars!").verify(token),
    ).toBeNull();
  });
});
