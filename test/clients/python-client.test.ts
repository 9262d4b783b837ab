/**
 * The Python client's unittest suite (clients/python/tests), run with the machine's Python against
 * the real service listening on loopback, with the breaking proxy in front of it. Left out, and
 * named at the end of the run, where no Python 3.9+ is installed (see available-services.ts).
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientTestService, startClientTestService } from "../support/client-test-service.js";
import { PYTHON } from "../support/python.js";

const CLIENT_DIR = fileURLToPath(new URL("../../clients/python/", import.meta.url));

describe("Python client", () => {
  let setup: ClientTestService;

  beforeAll(async () => {
    setup = await startClientTestService();
  });
  afterAll(() => setup?.close());

  it("passes its unittest suite against the running service, skipping nothing", async () => {
    // Asynchronous on purpose: the service answering the tests runs in this very process.
    const run = await promisify(execFile)(PYTHON, ["-m", "unittest", "discover", "-s", "tests", "-v"], {
      cwd: CLIENT_DIR,
      env: {
        ...process.env,
        NS_TEST_URL: setup.url,
        NS_TEST_API_KEY: setup.service.apiKey,
        NS_TEST_PROXY_URL: setup.proxy.url,
        PYTHONDONTWRITEBYTECODE: "1",
      },
      timeout: 120_000,
    }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(
        `python3 -m unittest failed:\n${error.stderr ?? ""}${error.stdout ?? ""}${error.message}`,
      );
    });
    expect(run.stderr).toMatch(/\nOK\n/);
    expect(run.stderr, run.stderr).not.toMatch(/skipped/);
  }, 120_000);
});
