import { describe, expect, it } from "vitest";
import { isEmailAddress, isTelegramChatId, normalizePhoneNumber } from "../../src/core/contacts.js";

describe("contacts", () => {
  it.each([
    ["+79990001122", "+79990001122"],
    ["+7 999 000-11-22", "+79990001122"],
    ["+7 (999) 000-11-22", "+79990001122"],
    ["8 999 000 11 22", "+79990001122"],
    ["89990001122", "+79990001122"],
    ["+1 415-555-2671", "+14155552671"],
    ["+44 20 7946 0958", "+442079460958"],
  ])("stores %s as %s", (input, expected) => {
    expect(normalizePhoneNumber(input, "RU")).toBe(expected);
  });

  it.each(["12", "+7999", "not a phone", "+7 999 000-11-22 ext", "++79990001122x", ""])(
    "refuses %j",
    (input) => {
      expect(normalizePhoneNumber(input, "RU")).toBeNull();
    },
  );

  it("accepts numeric Telegram chat ids, with a minus for groups", () => {
    expect(isTelegramChatId("123456789")).toBe(true);
    expect(isTelegramChatId("-1001234567890")).toBe(true);
    for (const bad of ["@user", "12a", "", "--1", "1".repeat(25)]) expect(isTelegramChatId(bad)).toBe(false);
  });

  it("accepts ordinary email addresses and refuses junk", () => {
    for (const good of ["a@b.co", "first.last+tag@sub.example.org"]) expect(isEmailAddress(good)).toBe(true);
    for (const bad of ["a", "a@b", "a @b.co", "<a@b.co>", "a@b.c", `${"x".repeat(250)}@b.co`]) {
      expect(isEmailAddress(bad)).toBe(false);
    }
  });
});
