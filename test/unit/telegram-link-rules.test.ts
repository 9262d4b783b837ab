import { describe, expect, it } from "vitest";
import { hashLinkCode, linkUrl, newLinkCode, startParameterOf } from "../../src/telegram-links/link-codes.js";
import { backoffSeconds } from "../../src/telegram-links/telegram-updates-poller.js";

describe("Telegram link codes", () => {
  it("are 32 characters Telegram takes as a start parameter, different every time, hashed one way", () => {
    const codes = Array.from({ length: 100 }, newLinkCode);
    for (const code of codes) expect(code).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect(hashLinkCode(codes[0]!)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashLinkCode(codes[0]!)).not.toBe(hashLinkCode(codes[1]!));
    expect(linkUrl("acme_bot", "abc")).toBe("https://t.me/acme_bot?start=abc");
  });

  it("are read from /start <code> only", () => {
    expect(startParameterOf("/start abc-_1")).toBe("abc-_1");
    expect(startParameterOf("/start@acme_bot abc")).toBe("abc");
    expect(startParameterOf("/start  abc \n")).toBe("abc");
    for (const other of ["/start", "/start ", "hello", "/help abc", "/start a b", "start abc", null]) {
      expect(startParameterOf(other)).toBeNull();
    }
  });
});

describe("the updates poller's backoff", () => {
  it("doubles from 1 s up to a minute, and waits at least as long as Telegram asks", () => {
    expect([1, 2, 3, 4, 7, 8, 50].map((failures) => backoffSeconds(failures, null))).toEqual([
      1, 2, 4, 8, 60, 60, 60,
    ]);
    expect(backoffSeconds(1, 30)).toBe(30);
    expect(backoffSeconds(7, 5)).toBe(60);
  });
});
