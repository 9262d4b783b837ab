/**
 * The dashboard in a real browser (headless Chromium) against the real service: the HTTP app
 * listening on loopback, an in-process worker, its own database and Redis prefix, and the
 * loopback SMS.ru. Screenshots go to test-results/dashboard/ (git-ignored).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DashboardPage, openDashboard, SCREENSHOTS } from "../support/dashboard-page.js";
import { FakeSmsRu, smsRuReplies } from "../support/fake-sms-ru.js";
import { startTestService, type TestService } from "../support/test-service.js";

const PHONE = "79990001122";
// Generous: the suite runs this beside three other test files on two cores.
const POLL = { timeout: 25_000, interval: 100 };

describe("the dashboard, in headless Chromium", { timeout: 90_000 }, () => {
  let smsRu: FakeSmsRu;
  let service: TestService;
  let dashboard: DashboardPage;
  let page: Page;
  let baseUrl: string;
  let userId: number;
  let problems: string[];

  beforeAll(async () => {
    smsRu = await FakeSmsRu.start();
    service = await startTestService({
      env: {
        SMS_RU_API_URL: smsRu.url,
        SMS_RU_API_ID: "api-id-secret",
        CHANNEL_ORDER: "sms,telegram",
        SMS_RECEIPT_POLL_SECONDS: "0.2",
        SMS_RECEIPT_POLL_MAX_SECONDS: "0.5",
      },
    });
    userId = (
      await service.createUser({
        email: "ada@example.com",
        password: "long enough",
        first_name: "Ada",
        last_name: "Lovelace",
        phone_number: `+${PHONE}`,
      })
    ).id;
    // Not signed in: the first test signs in, after trying a wrong key. The 401 of the wrong key and
    // the 404 of the missing outbox are expected answers (not problems).
    dashboard = await openDashboard(service, { signIn: false });
    ({ page, baseUrl, problems } = dashboard);
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
    await service?.close();
    await smsRu?.close();
  });

  /** Creates a notification the way any client would: through the API, not the page. */
  const createNotification = async (message: string, metadata?: Record<string, string>) => {
    const response = await fetch(`${baseUrl}/api/notifications/`, {
      method: "POST",
      headers: { authorization: `Bearer ${service.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ user: userId, message, metadata }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: number }).id;
  };
  const row = (id: number) => page.locator(`tr[data-id="${id}"]`);
  const shoot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });

  it("signs in with an API key, and refuses a wrong one", async () => {
    await page.goto(`${baseUrl}/dashboard/`);
    await page.getByLabel("API key").fill("not-a-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent(), POLL).toMatch(/not accepted/);
    await shoot("sign-in");

    await page.getByLabel("API key").fill(service.apiKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Notifications" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    // The key is kept for this tab only, and never put in a URL.
    expect(await page.evaluate("Object.keys(sessionStorage).length")).toBe(1);
    expect(page.url()).not.toContain(service.apiKey);
  });

  it("shows a new notification and its change to sent without a reload", async () => {
    // Set on the page: a reload would lose it.
    await page.evaluate('window.marker = "no reload"');
    const id = await createNotification("Your code is 1234");
    await row(id).waitFor();
    await row(id).locator('[data-status="sent"]').waitFor();
    await expect.poll(() => row(id).locator(".col-channel").textContent(), POLL).toBe("SMS");
    expect(await page.evaluate("window.marker")).toBe("no reload");
  });

  it("retries a failed notification with a click, and the provider receives it", async () => {
    // 209 (our stop list at SMS.ru): permanent, but unlike 202/207 it does not suppress the number.
    smsRu.replyNext(smsRuReplies.numberError(PHONE, 209));
    const id = await createNotification("Your order has shipped");
    await row(id).locator('[data-status="failed"]').waitFor();

    await row(id)
      .getByRole("link", { name: `Notification ${id}` })
      .click();
    await page.getByRole("heading", { name: `Notification ${id}` }).waitFor();
    await page.getByText("permanent failure").waitFor();
    await page.getByText("Ada Lovelace").waitFor();
    await shoot("detail-failed");

    const before = smsRu.messages.length;
    await page.getByRole("button", { name: "Retry now" }).click();
    await page
      .getByRole("heading", { name: `Notification ${id}` })
      .getByText("Sent")
      .waitFor();
    await page.locator('.attempt[data-round="2"]').getByText("Sent").waitFor();
    expect(await page.getByRole("button", { name: "Retry now" }).count()).toBe(0);
    expect(smsRu.messages.slice(before).map((request) => request.text)).toEqual(["Your order has shipped"]);
    expect((await service.getNotification(id)).attempts.map((a) => `${a.round}:${a.status}`)).toEqual([
      "1:failed",
      // Telegram has no credentials here: skipped once, and never tried again.
      "1:skipped",
      "2:sent",
    ]);
    await shoot("detail-retried");
  });

  it("cancels a notification that is still pending", async () => {
    // SMS.ru answers slowly: the worker is mid-call when the operator cancels.
    smsRu.replyNext({ hangMs: 2_000 });
    const id = await createNotification("Reminder: your appointment is tomorrow", { booking: "B-77" });
    await page.goto(`${baseUrl}/dashboard/#/notifications/${id}`);
    await page.getByRole("heading", { name: `Notification ${id}` }).waitFor();
    expect(await page.locator("dd.metadata").textContent()).toContain("booking B-77");
    await expect.poll(() => smsRu.messages.some((r) => r.text.startsWith("Reminder")), POLL).toBe(true);
    await page.getByRole("button", { name: "Cancel" }).click();
    await page
      .getByRole("heading", { name: `Notification ${id}` })
      .getByText("Cancelled")
      .waitFor();
    // The call under way still ends, and the page shows its outcome; the notification stays cancelled.
    await page.locator('.attempt[data-round="1"] [data-status="sent"]').waitFor();
    expect((await service.getNotification(id)).status).toBe("cancelled");
    expect(await page.getByRole("button", { name: "Retry now" }).count()).toBe(1);
  });

  it("filters the list by status and searches message text", async () => {
    await page.getByRole("link", { name: "All notifications" }).click();
    // Type once the cleared filters have been applied, as a person would: text typed while the
    // list is still switching views is replaced by the new view's (empty) filters.
    await expect.poll(() => page.locator("tbody tr").count(), POLL).toBe(3);
    await page.getByLabel("Search messages").fill("ORDER has");
    await expect.poll(() => page.locator("tbody tr").count(), POLL).toBe(1);
    await page.getByText("Your order has shipped").waitFor();
    await page.getByLabel("Search messages").fill("");
    await page.getByLabel("Status").selectOption("cancelled");
    await expect.poll(() => page.locator("tbody tr").count(), POLL).toBe(1);
    await page.getByLabel("Status").selectOption("");
    await expect.poll(() => page.locator("tbody tr").count(), POLL).toBe(3);
  });

  it("shows the channel overview, and an empty outbox while the sandbox is off", async () => {
    await page.getByRole("link", { name: "Channels" }).click();
    const sms = page.getByRole("article", { name: "SMS" });
    await sms.getByText("Configured", { exact: true }).waitFor();
    await expect.poll(() => sms.locator(".stat-sent").textContent(), POLL).toBe("3");
    await page.getByRole("article", { name: "Email" }).getByText("Not configured", { exact: true }).waitFor();
    await shoot("channels");

    await page.getByRole("link", { name: "Outbox" }).click();
    await page.getByText("The outbox is empty").waitFor();
  });

  it("stays readable at laptop and phone widths, with no console errors or CSP violations", async () => {
    await page
      .getByRole("navigation", { name: "Sections" })
      .getByRole("link", { name: "Notifications" })
      .click();
    await page.locator("tbody tr").first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/list-laptop.png` });
    for (const [name, size] of [
      ["phone", { width: 390, height: 844 }],
      ["tablet", { width: 820, height: 1000 }],
    ] as const) {
      await page.setViewportSize(size);
      await page.locator("tbody tr").first().waitFor();
      // Nothing wider than the screen: no sideways scrolling.
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(size.width);
      await shoot(`list-${name}`);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator("tbody tr").first().locator("a").click();
    await page.getByRole("heading", { name: /^Notification \d+/ }).waitFor();
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await shoot("detail-phone");
    expect(problems).toEqual([]);
  });

  // Last: it adds a notification the counts of the tests above do not expect.
  it("shows an SMS's delivery receipt and its timeline on the notification page, live", async () => {
    smsRu.replyNext(smsRuReplies.sent(PHONE, "e2e-receipt"));
    const id = await createNotification("Your parcel is at the door");
    await page.goto(`${baseUrl}/dashboard/#/notifications/${id}`);
    await page.locator('.attempt [data-delivery="accepted"]').first().waitFor();

    smsRu.setReceipt("e2e-receipt", 103);
    await page.locator('.delivery-summary [data-delivery="delivered"]').waitFor();
    await page.locator('.receipts [data-receipt-state="delivered"]').getByText("code 103").waitFor();
    await shoot("detail-receipt");
  });
});
