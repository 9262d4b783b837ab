import { describe, expect, it } from "vitest";
import { withNullableTypes } from "../../src/entry/http/nullable-types.js";

describe("withNullableTypes", () => {
  it("writes a nullable scalar or string enum as a nullable type, at any depth", () => {
    const schema = {
      type: "object",
      properties: {
        subject: { anyOf: [{ type: "string" }, { type: "null" }] },
        sent_at: { anyOf: [{ type: "string", format: "date-time", description: "when" }, { type: "null" }] },
        broadcast: { anyOf: [{ type: "integer" }, { type: "null" }], description: "its broadcast" },
        channel: { anyOf: [{ enum: ["sms", "email"] }, { type: "null" }] },
        attempts: {
          type: "array",
          items: { type: "object", properties: { error: { anyOf: [{ type: "string" }, { type: "null" }] } } },
        },
      },
    };
    expect(withNullableTypes(schema)).toEqual({
      type: "object",
      properties: {
        subject: { type: ["string", "null"] },
        sent_at: { type: ["string", "null"] },
        broadcast: { type: ["integer", "null"], description: "its broadcast" },
        channel: { type: ["string", "null"] },
        attempts: {
          type: "array",
          items: { type: "object", properties: { error: { type: ["string", "null"] } } },
        },
      },
    });
  });

  it("leaves every other anyOf, and the schema it was given, as they are", () => {
    const others = {
      channels: { anyOf: [{ type: "array", items: { type: "string" } }, { type: "null" }] },
      rendered: { anyOf: [{ type: "object", properties: {} }, { type: "null" }] },
      mode: { anyOf: [{ type: "string", const: "HTML" }, { type: "null" }] },
      state: { anyOf: [{ const: "a" }, { const: "b" }] },
      nullFirst: { anyOf: [{ type: "null" }, { type: "string" }] },
      codes: { anyOf: [{ enum: [1, 2] }, { type: "null" }] },
    };
    const original = structuredClone(others);
    expect(withNullableTypes(others)).toEqual(original);
    const nullable = { anyOf: [{ type: "string" }, { type: "null" }] };
    withNullableTypes(nullable);
    expect(nullable).toEqual({ anyOf: [{ type: "string" }, { type: "null" }] });
  });
});
