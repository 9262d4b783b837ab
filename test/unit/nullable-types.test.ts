import SerializerSelector from "@fastify/fast-json-stringify-compiler";
import { describe, expect, it } from "vitest";
import {
  serializerFactoryWithNullableTypes,
  withNullableTypes,
} from "../../src/entry/http/nullable-types.js";
import { NotificationPage } from "../../src/entry/http/schemas.js";

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

  describe("as the app's serializer factory", () => {
    const route = { method: "GET", url: "/api/notifications/", httpStatus: "200" };
    const compile = (factory: SerializerSelector.SerializerFactory, schema: object) =>
      factory(undefined, {})({ ...route, schema });

    it("writes a page of notifications exactly as Fastify's own serializer writes it", () => {
      const attempt = (sent: boolean) => ({
        channel: "sms",
        status: sent ? "sent" : "failed",
        round: 1,
        error: sent ? null : "provider said no",
        error_kind: sent ? null : "rejected",
        provider_code: sent ? "100" : null,
        provider_message_id: sent ? "201-1" : null,
        started_at: "2026-12-03T10:00:00.000Z",
        finished_at: sent ? "2026-12-03T10:00:01.000Z" : null,
        delivery: sent ? "delivered" : null,
        delivered_at: sent ? "2026-12-03T10:00:05.000Z" : null,
        receipt_code: sent ? "103" : null,
        receipt_text: sent ? "Сообщение доставлено" : null,
        receipts: sent
          ? [{ at: "2026-12-03T10:00:05.000Z", state: "delivered", code: "103", text: "ok" }]
          : [],
      });
      const notification = (id: number, sent: boolean) => ({
        id,
        user: 7,
        message: `hello "${id}"\n`,
        subject: sent ? "Subject" : null,
        channels: sent ? ["sms", "email"] : null,
        status: sent ? "sent" : "pending",
        retry_count: 0,
        last_channel: sent ? "sms" : null,
        sent_at: sent ? "2026-12-03T10:00:01.000Z" : null,
        created_at: "2026-12-03T10:00:00.000Z",
        next_attempt_at: sent ? null : "2026-12-03T10:05:00.000Z",
        failure_reason: null,
        history_from_round: sent ? 2 : 1,
        priority: "normal",
        category: sent ? "security" : null,
        metadata: sent ? { order_id: "A-1042", tenant: "acme" } : null,
        expires_at: null,
        template: sent ? "otp" : null,
        locale: sent ? "ru" : null,
        rendered: sent ? { sms: { text: "code 1" } } : null,
        broadcast: sent ? 3 : null,
        delivery: sent ? "delivered" : null,
        delivered_at: sent ? "2026-12-03T10:00:05.000Z" : null,
        attempts: sent ? [attempt(false), attempt(true)] : [],
      });
      const page = {
        count: 2,
        count_exact: true,
        next: null,
        previous: "http://localhost/api/notifications/?page=1",
        results: [notification(1, true), notification(2, false)],
      };
      const written = compile(serializerFactoryWithNullableTypes(), NotificationPage)(page);
      expect(written).toBe(compile(SerializerSelector(), NotificationPage)(page));
      expect(JSON.parse(written)).toEqual(page);
    });

    it("compiles each response schema as withNullableTypes rewrites it", () => {
      // Only a value the schema does not admit tells them apart: the anyOf validates each value
      // against its branches (a time is checked as a date-time), the nullable type asks its type.
      const schema = {
        type: "object",
        properties: { sent_at: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] } },
      };
      const notATime = { sent_at: "soon" };
      expect(compile(serializerFactoryWithNullableTypes(), schema)(notATime)).toBe('{"sent_at":"soon"}');
      expect(() => compile(SerializerSelector(), schema)(notATime)).toThrow(/does not match/);
    });
  });
});
