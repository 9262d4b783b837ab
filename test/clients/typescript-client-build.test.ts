/** The TypeScript client builds to ESM with type declarations, and the built module loads alone. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

it("builds clients/typescript to ESM with declarations", async () => {
  const outDir = await mkdtemp(join(ROOT, "clients/typescript/.build-test-"));
  try {
    await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, "node_modules/typescript/bin/tsc"),
        "-p",
        "clients/typescript/tsconfig.build.json",
        "--outDir",
        outDir,
      ],
      { cwd: ROOT, timeout: 120_000 },
    );
    for (const file of ["index.js", "index.d.ts", "client.d.ts", "verify-webhook.d.ts"]) {
      expect(existsSync(join(outDir, file)), file).toBe(true);
    }
    const built = (await import(pathToFileURL(join(outDir, "index.js")).href)) as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual([
      "NotificationServiceClient",
      "NotificationServiceError",
      "WebhookVerificationError",
      "verifyWebhook",
    ]);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}, 120_000);
