import { describe, expect, it } from "vitest";
import { REDACTED, redact } from "../../src/channels/redact.js";

describe("redacting secrets", () => {
  it("removes a secret and its URL-encoded and base64 forms", () => {
    const secret = "12345:AA/bc+d";
    const text = `raw ${secret} url ${encodeURIComponent(secret)} b64 ${Buffer.from(secret).toString("base64")}`;
    const result = redact(text, [secret]);
    expect(result).toBe(`raw ${REDACTED} url ${REDACTED} b64 ${REDACTED}`);
  });

  it("removes the longer of two overlapping secrets whole", () => {
    expect(redact("token abcdef-123", ["abc", "abcdef-123"])).toBe(`token ${REDACTED}`);
  });

  it("ignores missing secrets", () => {
    expect(redact("nothing to hide", [null, undefined, ""])).toBe("nothing to hide");
  });
});
