import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  splitMessageText,
  TELEGRAM_MAX_TEXT_LENGTH,
} from "../../src/channels/telegram/split-message-text.js";

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

describe("splitting a text for Telegram", () => {
  it("leaves a text within the limit whole", () => {
    expect(splitMessageText("short")).toEqual(["short"]);
    expect(splitMessageText("x".repeat(TELEGRAM_MAX_TEXT_LENGTH))).toHaveLength(1);
    expect(splitMessageText("")).toEqual([""]);
  });

  it("cuts at the last line break that fits", () => {
    expect(splitMessageText("aaa\nbbb ccc\nddd", 9)).toEqual(["aaa\n", "bbb ccc\n", "ddd"]);
  });

  it("cuts at the last space when a line is too long", () => {
    expect(splitMessageText("aaa bbb ccc", 8)).toEqual(["aaa bbb ", "ccc"]);
  });

  it("cuts hard when there is no break, but not inside a surrogate pair", () => {
    expect(splitMessageText("abcdefgh", 3)).toEqual(["abc", "def", "gh"]);
    expect(splitMessageText("ab😀cd", 3)).toEqual(["ab", "😀c", "d"]);
  });

  it("for any text: parts fit, rejoin to the text and never split a surrogate pair", () => {
    const alphabet = fc.constantFrom("a", "b", " ", "\n", "😀", "я", "\t");
    const texts = fc.array(alphabet, { maxLength: 400 }).map((chars) => chars.join(""));
    fc.assert(
      fc.property(texts, fc.integer({ min: 2, max: 50 }), (text, limit) => {
        const parts = splitMessageText(text, limit);
        expect(parts.join("")).toBe(text);
        for (const part of parts) {
          expect(part.length).toBeLessThanOrEqual(limit);
          if (text !== "") expect(part.length).toBeGreaterThan(0);
          expect(isHigh(part.charCodeAt(part.length - 1))).toBe(false);
          expect(isLow(part.charCodeAt(0))).toBe(false);
        }
      }),
    );
  });
});
