/**
 * `npm test` on a machine without PostgreSQL and Redis leaves out the files that need them, also
 * when they reach a service only through a support module that builds on another one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Closed ports stand for the missing services; read when the module is imported, so set first.
process.env.TEST_ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:1/postgres";
process.env.TEST_REDIS_URL = "redis://127.0.0.1:1";
const { selectTestFiles } = await import("../support/available-services.js");

describe("choosing the test files this machine can run", () => {
  let root: string;
  const required = process.env.TEST_REQUIRE_SERVICES;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "ns-selection-"));
    // Spelled through importFrom, so this file's own source names no service module.
    const importFrom = (name: string, path: string) => `import { ${name} } from "${path}.js";\n`;
    const files: Record<string, string> = {
      "test/support/databases.ts": "export const url = 'postgresql://';\n",
      "test/support/service-helper.ts": `${importFrom("url", "./databases")}export { url };\n`,
      "test/support/loopback.ts": "export const port = 0;\n",
      "test/indirect.test.ts": importFrom("url", "./support/service-helper"),
      "test/unit/plain.test.ts": importFrom("port", "../support/loopback"),
    };
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), source);
    }
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    if (required === undefined) delete process.env.TEST_REQUIRE_SERVICES;
    else process.env.TEST_REQUIRE_SERVICES = required;
  });

  it("leaves out a file that needs PostgreSQL through a support module, and runs the rest", async () => {
    delete process.env.TEST_REQUIRE_SERVICES;
    const selection = await selectTestFiles(root);
    expect(selection.exclude).toEqual(["test/indirect.test.ts"]);
    expect(selection.skipped[0]?.reason).toMatch(
      /no PostgreSQL at TEST_ADMIN_DATABASE_URL .*; no Redis at TEST_REDIS_URL/,
    );
  });

  it("fails instead when TEST_REQUIRE_SERVICES=1", async () => {
    process.env.TEST_REQUIRE_SERVICES = "1";
    await expect(selectTestFiles(root)).rejects.toThrow(/TEST_REQUIRE_SERVICES=1 and no PostgreSQL/);
  });
});
