/**
 * The dashboard's Templates page and scheduled notifications, in headless Chromium against the
 * real service (HTTP app on loopback, its own database and Redis prefix, no worker: nothing here
 * needs delivering). Screenshots go to test-results/dashboard/.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DashboardPage, openDashboard, SCREENSHOTS } from "../support/dashboard-page.js";
import { startTestService, type TestService } from "../support/test-service.js";

const POLL = { timeout: 25_000, interval: 100 };

describe("the dashboard's templates and scheduled notifications", { timeout: 90_000 }, () => {
  let service: TestService;
  let dashboard: DashboardPage;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    service = await startTestService({ worker: false, env: { CHANNEL_ORDER: "sms,email" } });
    // 400s of the live preview while a template is broken are expected answers (not problems).
    dashboard = await openDashboard(service);
    ({ page, problems } = dashboard);
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
    await service?.close();
  });

  const fieldError = (id: string) => page.locator(`.field-error[data-field="${id}"]`);
  const shoot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });

  it("writes a template with a live preview, shows problems at their line, and saves it", async () => {
    await page.getByRole("link", { name: "Templates" }).click();
    await page.getByText("No templates yet").waitFor();
    await page.getByRole("link", { name: "New template" }).click();
    await page.getByRole("heading", { name: "New template" }).waitFor();
    await page.getByLabel("Key").fill("welcome");

    await page.getByLabel("SMS text").fill("Hi {{ user.first_name }},\ncode {{ data.code | shout }}");
    await expect
      .poll(() => fieldError("template-sms").textContent(), POLL)
      .toMatch(/undefined filter: shout \(line 2, column \d+\)/);

    await page.getByLabel("SMS text").fill("Hi {{ user.first_name }},\ncode {{ data.missing }}");
    await expect
      .poll(() => fieldError("template-sms").textContent(), POLL)
      .toMatch(/undefined variable: data\.missing \(line 2, column \d+\)/);

    await page.getByLabel("SMS text").fill("Hi {{ user.first_name }},\ncode {{ data.code }}");
    await page.getByLabel("Email text").fill("Code {{ data.code }}");
    await page.getByLabel("Email HTML (values are HTML-escaped)").fill("<b>{{ data.code }}</b>");
    await page.getByLabel("Sample data (JSON)").fill('{"code": "<42>"}');
    const preview = page.locator(".template-preview");
    await expect
      .poll(() => preview.locator('[data-channel="sms"] pre').textContent(), POLL)
      .toBe("Hi Ada,\ncode <42>");
    await expect
      .poll(() => preview.locator('[data-channel="email"]').textContent(), POLL)
      .toContain("<b>&lt;42&gt;</b>");
    expect(await fieldError("template-sms").count()).toBe(0);
    await shoot("template-editor");

    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Template welcome" }).waitFor();
    const saved = await service.inject({ method: "GET", url: "/api/templates/welcome/" });
    expect(saved.json().locales.en).toEqual({
      sms: { text: "Hi {{ user.first_name }},\ncode {{ data.code }}" },
      email: { text: "Code {{ data.code }}", html: "<b>{{ data.code }}</b>" },
    });
    await page.getByRole("link", { name: "All templates" }).click();
    await page.locator('tr[data-key="welcome"]').getByText("SMS, Email").waitFor();
  });

  it("shows a scheduled notification's time in the viewer's and the user's time zone", async () => {
    const user = await service.createUser({
      email: "kenji@example.com",
      password: "long enough",
      first_name: "Kenji",
      phone_number: "+79990001122",
      timezone: "Asia/Tokyo",
    });
    const sendAt = new Date(Date.now() + 3 * 3_600_000);
    const created = await service.createNotification({
      user: user.id,
      template: "welcome",
      data: { code: "7" },
      send_at: sendAt.toISOString(),
    });
    await page.getByRole("link", { name: "Notifications" }).first().click();
    await page.getByLabel("Status").selectOption("scheduled");
    const row = page.locator(`tr[data-id="${created.id}"]`);
    await row.getByText("Scheduled for").waitFor();
    await row.getByRole("link", { name: `Notification ${created.id}` }).click();
    await page.getByRole("heading", { name: `Notification ${created.id}` }).waitFor();
    // The user's clock, as the page writes it (the browser's locale is en-US): e.g. "2:11 PM". ICU
    // versions differ on the space before "PM" (U+0020 or U+202F): compare without that difference.
    const plain = (text: string | null) => (text ?? "").replace(/\s/g, " ");
    const tokyo = plain(
      new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Tokyo", hour: "numeric", minute: "2-digit" }).format(
        sendAt,
      ),
    );
    const when = page.locator(".scheduled-for");
    await expect.poll(() => when.textContent(), POLL).toMatch(/your time/);
    // The user's time comes with the user, which the page loads after the notification.
    await expect
      .poll(async () => plain(await when.textContent()), POLL)
      .toContain(`${tokyo} GMT+9 the user's`);
    await page.locator('.rendered-body[data-channel="sms"]').getByText("Hi Kenji,").waitFor();
    await shoot("detail-scheduled");
    expect(problems).toEqual([]);
  });
});
