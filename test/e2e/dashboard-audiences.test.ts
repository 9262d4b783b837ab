/**
 * The dashboard's user page (preferences, suppressed addresses) and its Suppressions view, in
 * headless Chromium against the real service, a worker and the loopback Telegram.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DashboardPage, openDashboard, SCREENSHOTS } from "../support/dashboard-page.js";
import { telegramReplies } from "../support/fake-telegram.js";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { startTestService, type TestService } from "../support/test-service.js";

/** TELEGRAM_CHAT_ID: where Telegram goes for users without a telegram_id. */
const FALLBACK_CHAT = "-100555000";

describe("the dashboard's users and suppressions", { timeout: 90_000 }, () => {
  let providers: LoopbackProviders;
  let service: TestService;
  let dashboard: DashboardPage;
  let page: Page;
  let baseUrl: string;
  let problems: string[];

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    service = await startTestService({
      env: providers.env({ MAX_RETRIES: "0", TELEGRAM_CHAT_ID: FALLBACK_CHAT }),
    });
    dashboard = await openDashboard(service);
    ({ page, baseUrl, problems } = dashboard);
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
    await service?.close();
    await providers?.close();
  });

  it("shows a user's preferences and suppressions with their evidence, and removes one", async () => {
    const user = await service.createUser({
      email: "grace@example.com",
      password: "long enough password",
      first_name: "Grace",
      last_name: "Hopper",
      phone_number: "+79995550011",
      telegram_id: "424242",
    });
    const put = await service.inject({
      method: "PUT",
      url: `/api/users/${user.id}/preferences/`,
      payload: { channels: { sms: false }, categories: { marketing: { email: false } } },
    });
    expect(put.statusCode).toBe(200);
    providers.telegram.replyNext(telegramReplies.botBlocked());
    const blocked = await service.createNotification({
      user: user.id,
      message: "hi",
      channels: ["telegram"],
    });
    await service.waitForStatus(blocked.id, "failed");
    const manual = await service.inject({
      method: "POST",
      url: "/api/suppressions/",
      payload: { channel: "email", address: "Grace@Example.com", note: "asked by phone" },
    });
    expect(manual.statusCode).toBe(201);

    await page.goto(`${baseUrl}/dashboard/#/users/${user.id}`);
    await page.getByRole("heading", { name: `User #${user.id} · Grace Hopper` }).waitFor();
    const row = (category: string) => page.locator(`tr[data-category="${category}"]`);
    await row("marketing").waitFor();
    const cell = async (category: string, channel: string) =>
      (await row(category).locator(`[data-channel="${channel}"]`).textContent())?.trim();
    expect(await cell("All notifications", "sms")).toBe("Off");
    expect(await cell("All notifications", "email")).toBe("On");
    expect(await cell("marketing", "email")).toBe("Off");
    const suppressions = page.locator("tr[data-suppression]");
    await expect.poll(() => suppressions.count()).toBe(2);
    await page.getByText("Forbidden: bot was blocked by the user").waitFor();
    await page.getByText("asked by phone").waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/user.png`, fullPage: true });

    // Turning Telegram off for marketing and SMS back on everywhere, then saving, stores exactly that.
    await page.getByLabel("Telegram for marketing").uncheck();
    await page.getByLabel("SMS for All notifications").check();
    await page.getByRole("button", { name: "Save preferences" }).click();
    await page.getByText("Preferences saved.").waitFor();
    const saved = await service.inject({ method: "GET", url: `/api/users/${user.id}/preferences/` });
    expect(saved.json()).toEqual({
      channels: {},
      categories: { marketing: { email: false, telegram: false } },
    });

    await page.getByRole("button", { name: "Remove the suppression of 424242" }).click();
    await page.getByText("Telegram 424242 receives again.").waitFor();
    await expect.poll(() => suppressions.count()).toBe(1);
    const left = await service.inject({ method: "GET", url: "/api/suppressions/" });
    expect(left.json().results.map((s: { address: string }) => s.address)).toEqual(["grace@example.com"]);

    await page.getByRole("link", { name: "Suppressions" }).click();
    await page.getByRole("heading", { name: "Suppressions" }).waitFor();
    await page.locator("tr[data-suppression]").getByText("grace@example.com").waitFor();
    await page.getByText("manual").waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/suppressions.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it("says where an operator looks that the fallback chat is suppressed, and lifts it", async () => {
    const withoutChat = await service.createUser({
      email: "ada@example.com",
      password: "long enough password",
      first_name: "Ada",
    });
    // The bot was removed from the fallback chat: delivery suppresses it.
    providers.telegram.replyNext(telegramReplies.botBlocked());
    const blocked = await service.createNotification({
      user: withoutChat.id,
      message: "hi",
      channels: ["telegram"],
    });
    await service.waitForStatus(blocked.id, "failed");

    await page.goto(`${baseUrl}/dashboard/#/channels`);
    const onChannels = page.locator(`[data-fallback-suppressed="${FALLBACK_CHAT}"]`);
    await onChannels.waitFor();
    const text = await onChannels.textContent();
    expect(text).toContain(`TELEGRAM_CHAT_ID ${FALLBACK_CHAT} is suppressed (bot_blocked`);
    expect(text).toContain("users without their own chat are skipped on Telegram");
    // The chat id is shown; the bot token never is.
    expect(await page.content()).not.toContain("loopback-token");
    await page.screenshot({ path: `${SCREENSHOTS}/channels-fallback-suppressed.png`, fullPage: true });

    await page.goto(`${baseUrl}/dashboard/#/users/${withoutChat.id}`);
    await page
      .locator(`[data-fallback-suppressed="${FALLBACK_CHAT}"]`)
      .getByText("has no telegram_id")
      .waitFor();

    await page.goto(`${baseUrl}/dashboard/#/suppressions`);
    const notice = page.locator(`p[data-fallback-suppressed="${FALLBACK_CHAT}"]`);
    await notice.waitFor();
    await page.locator("tr[data-suppression]").getByText("fallback chat (TELEGRAM_CHAT_ID)").waitFor();
    await page.getByRole("button", { name: `Remove the suppression of ${FALLBACK_CHAT}` }).click();
    await page.getByText(`Telegram ${FALLBACK_CHAT} receives again.`).waitFor();
    await notice.waitFor({ state: "detached" });

    await page.getByRole("link", { name: "Channels" }).click();
    await page.getByText(`Users without their own chat go to TELEGRAM_CHAT_ID ${FALLBACK_CHAT}.`).waitFor();
    expect(await page.locator("[data-fallback-suppressed]").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("shows suppressions added and removed elsewhere without a reload, on Suppressions and the user's page", async () => {
    const user = await service.createUser({
      email: "live-suppressions@example.com",
      password: "long enough password",
      phone_number: "+79995550099",
    });
    await page.goto(`${baseUrl}/dashboard/#/suppressions`);
    const loadedAt = await page.evaluate(() => performance.timeOrigin);
    const row = page.locator("tr[data-suppression]").filter({ hasText: "+79995550099" });
    const added = await service.inject({
      method: "POST",
      url: "/api/suppressions/",
      payload: { channel: "sms", address: "+79995550099", note: "added elsewhere" },
    });
    expect(added.statusCode, added.body).toBe(201);
    await row.waitFor();

    await page.goto(`${baseUrl}/dashboard/#/users/${user.id}`);
    const onUserPage = page.locator("tr[data-suppression]").filter({ hasText: "+79995550099" });
    await onUserPage.waitFor();
    const removed = await service.inject({ method: "DELETE", url: `/api/suppressions/${added.json().id}/` });
    expect(removed.statusCode).toBe(200);
    await onUserPage.waitFor({ state: "detached" });
    // Both by the live stream: the page was never loaded again.
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(loadedAt);
    expect(problems).toEqual([]);
  });
});
