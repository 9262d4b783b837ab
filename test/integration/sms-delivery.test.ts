import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeSmsRu, smsRuReplies } from "../support/fake-sms-ru.js";
import { startTestService, type TestService } from "../support/test-service.js";

describe("a notification delivered by SMS through SMS.ru", () => {
  let smsRu: FakeSmsRu;
  let service: TestService;

  beforeAll(async () => {
    smsRu = await FakeSmsRu.start();
    service = await startTestService({
      env: { SMS_RU_API_URL: smsRu.url, SMS_RU_API_ID: "test-api-id-123", SMS_SENDER_NAME: "Notifier" },
    });
  });
  afterAll(async () => {
    await service?.close();
    await smsRu?.close();
  });
  beforeEach(() => smsRu.reset());

  it("answers 201 pending at once, then a worker sends it and records the attempt", async () => {
    const user = await service.createUser({
      email: "robert@example.com",
      password: "correct horse battery",
      first_name: "Robert",
      last_name: "M",
      phone_number: "+7 (999) 000-11-22",
    });
    expect(user.phone_number).toBe("+79990001122");

    const created = await service.createNotification({ user: user.id, message: "hi bob" });
    expect(created).toMatchObject({
      user: user.id,
      message: "hi bob",
      status: "pending",
      retry_count: 0,
      last_channel: null,
      sent_at: null,
    });

    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "sent", last_channel: "sms", retry_count: 0 });
    expect(done.sent_at).not.toBeNull();
    expect(done.attempts).toHaveLength(1);
    expect(done.attempts[0]).toMatchObject({ channel: "sms", status: "sent", round: 1, error: null });
    expect(done.attempts[0]?.provider_message_id).toBeTruthy();

    expect(smsRu.messages).toHaveLength(1);
    const request = smsRu.requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/sms/send");
    expect(request.query).not.toContain("test-api-id-123");
    expect(request.fields).toMatchObject({
      api_id: "test-api-id-123",
      to: "79990001122",
      msg: "hi bob",
      json: "1",
      from: "Notifier",
    });
  });

  it("keeps trying SMS in later rounds while SMS.ru answers with a transient error, then succeeds", async () => {
    const user = await service.createUser({
      email: "retry@example.com",
      password: "correct horse battery",
      phone_number: "89990001123",
    });
    smsRu.replyNext({ status: 500, raw: "Internal Server Error" }, smsRuReplies.requestError(220));
    const created = await service.createNotification({
      user: user.id,
      message: "eventually",
      channels: ["sms"],
    });

    const done = await service.waitForStatus(created.id);
    expect(done).toMatchObject({ status: "sent", last_channel: "sms", retry_count: 2 });
    expect(done.attempts.map((a) => [a.round, a.status, a.error_kind])).toEqual([
      [1, "failed", "transient"],
      [2, "failed", "transient"],
      [3, "sent", null],
    ]);
    expect(done.attempts[1]?.provider_code).toBe("220");
    expect(smsRu.messages).toHaveLength(3);
  });
});
