/**
 * Debian's Chromium driven by playwright-core: never a browser download. Installed with apt-get
 * when missing (as .ci/run does), started headless with the flags this machine needs (no
 * background networking: the network is closed) and a fresh profile.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  // Test files start in parallel: one waits for another's install to release dpkg's lock (then
  // finds it installed) instead of failing on the lock.
  const waitForLock = ["-o", "DPkg::Lock::Timeout=300"];
  const install = () =>
    execFileSync("apt-get", [...waitForLock, "install", "-y", "--no-install-recommends", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  try {
    install();
  } catch {
    // A fresh machine's package lists may be missing or old.
    execFileSync("apt-get", [...waitForLock, "update"], { stdio: "inherit" });
    install();
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is still missing after apt-get install chromium`);
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), "ns-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
