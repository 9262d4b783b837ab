/**
 * The dashboard of a test service open in headless Chromium: the service's HTTP app listening on
 * loopback, a fresh browser profile, and every console error and script error the page shows
 * collected, so a test can assert there were none (a CSP violation shows up there too).
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { ensureChromium, launchBrowser } from "./browser.js";
import type { TestService } from "./test-service.js";

/** Where the dashboard tests' screenshots go (git-ignored). */
export const SCREENSHOTS = "test-results/dashboard";

export interface DashboardPage {
  page: Page;
  /** The service's address, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** Console errors and uncaught script errors seen so far. */
  problems: string[];
  close(): Promise<void>;
}

export interface OpenDashboardOptions {
  /** Sign in with the service's API key and wait for the notification list; default true. */
  signIn?: boolean;
}

export async function openDashboard(
  service: TestService,
  options: OpenDashboardOptions = {},
): Promise<DashboardPage> {
  ensureChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const baseUrl = await service.app.listen({ host: "127.0.0.1", port: 0 });
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    // Failed loads are the expected 4xx answers a test provokes (a wrong key, a broken template's preview).
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(message.text());
    }
  });
  page.on("pageerror", (error) => problems.push(error.message));
  if (options.signIn !== false) {
    await page.goto(`${baseUrl}/dashboard/`);
    await page.getByLabel("API key").fill(service.apiKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Notifications" }).waitFor();
  }
  return { page, baseUrl, problems, close: () => browser.close() };
}
