import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { webhookRetryDelay } from "../../src/webhooks/deliver-webhook.js";
import { refusedAddressReason, webhookUrlProblem } from "../../src/webhooks/webhook-address.js";
import { subscribesTo } from "../../src/webhooks/webhook-event-types.js";
import { newWebhookSecret, webhookHeaders } from "../../src/webhooks/webhook-signature.js";

describe("webhook rules", () => {
  it("refuses internal addresses and accepts public ones", () => {
    for (const address of [
      "127.0.0.1",
      "10.0.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254",
      "100.100.100.200",
      "0.0.0.0",
      "224.0.0.1",
      "::1",
      "::",
      "fe80::1",
      "fd00:ec2::254",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "64:ff9b::10.0.0.1",
    ]) {
      expect(refusedAddressReason(address), address).not.toBeNull();
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) {
      expect(refusedAddressReason(address), address).toBeNull();
    }
  });

  it("checks the URL's scheme and credentials even when private networks are allowed", async () => {
    expect(await webhookUrlProblem("ftp://example.com/", true)).toMatch(/http/);
    expect(await webhookUrlProblem("not a url", true)).toMatch(/valid URL/);
    expect(await webhookUrlProblem("https://user:pw@example.com/", true)).toMatch(/Credentials/);
    expect(await webhookUrlProblem("http://127.0.0.1:9/", true)).toBeNull();
    expect(await webhookUrlProblem("http://127.0.0.1:9/", false)).toBe(
      "The host 127.0.0.1 is a loopback, private, link-local or otherwise internal address; set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow it.",
    );
    expect(await webhookUrlProblem("http://localhost:9/", false)).toMatch(
      /^The host localhost resolves to (127\.0\.0\.1|::1), a loopback, private, link-local or otherwise internal address; set /,
    );
  });

  it("retries on the schedule, then gives up", () => {
    const schedule = [5, 300, 1800];
    expect([1, 2, 3, 4].map((attempt) => webhookRetryDelay(schedule, attempt))).toEqual([5, 300, 1800, null]);
  });

  it("reads the webhook settings, refusing a malformed schedule", () => {
    const defaults = parseConfig({}).webhooks;
    expect(defaults).toMatchObject({
      allowPrivateNetworks: false,
      timeoutSeconds: 15,
      retryScheduleSeconds: [5, 300, 1800, 7200, 18_000, 36_000, 36_000],
      disableAfterDays: 5,
    });
    expect(parseConfig({ WEBHOOK_RETRY_SCHEDULE_SECONDS: "1, 2.5" }).webhooks.retryScheduleSeconds).toEqual([
      1, 2.5,
    ]);
    expect(() => parseConfig({ WEBHOOK_RETRY_SCHEDULE_SECONDS: "1,soon" })).toThrow(
      /WEBHOOK_RETRY_SCHEDULE_SECONDS/,
    );
  });

  it("matches subscriptions, with * for everything", () => {
    expect(subscribesTo(["*"], "attempt.failed")).toBe(true);
    expect(subscribesTo(["notification.sent"], "attempt.failed")).toBe(false);
  });

  it("signs so that the reference library verifies, with either secret during a rotation", () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({ type: "notification.sent", data: { n: 1 } });
    const headers = webhookHeaders([current, previous], "msg_1", Math.floor(Date.now() / 1000), body);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });
});
