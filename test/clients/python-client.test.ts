/**
 * The Python client's unittest suite (clients/python/tests), run with the machine's Python against
 * the real service listening on loopback, with the breaking proxy in front of it. Left out, and
 * named at the end of the run, where no Python 3.9+ is installed (see available-services.ts).
 */
import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlakyProxy } from "../support/flaky-proxy.js";
import { PYTHON } from "../support/python.js";
import { startTestService, type TestService } from "../support/test-service.js";

const CLIENT_DIR = fileURLToPath(new URL("../../clients/python/", import.meta.url));

describe("Python client", () => {
  let service: TestService;
  let proxy: FlakyProxy;

  beforeAll(async () => {
    service = await startTestService({
      env: {
        DELIVERY_SANDBOX: "true",
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: "0",
      },
    });
    await service.app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
    proxy = await FlakyProxy.start(url);
  });
  afterAll(async () => {
    await proxy?.close();
    await service?.close();
  });

  it("passes its unittest suite against the running service, skipping nothing", async () => {
    const address = service.app.server.address() as AddressInfo;
    // Asynchronous on purpose: the service answering the tests runs in this very process.
    const run = await promisify(execFile)(PYTHON, ["-m", "unittest", "discover", "-s", "tests", "-v"], {
      cwd: CLIENT_DIR,
      env: {
        ...process.env,
        NS_TEST_URL: `http://127.0.0.1:${address.port}`,
        NS_TEST_API_KEY: service.apiKey,
        NS_TEST_PROXY_URL: proxy.url,
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
