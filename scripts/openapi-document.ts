/**
 * The OpenAPI document exactly as the service serves it at /openapi.json, built from the real
 * HTTP app with the default configuration (nothing connects: pools and Redis open lazily), and
 * the TypeScript client's types generated from it. `npm run openapi:write` commits both;
 * test/contract/openapi-contract.test.ts fails when either drifts from the code.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { createCore } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { silentLogger } from "../src/core/logger.js";
import { buildHttpApp } from "../src/entry/http/http-app.js";

export const OPENAPI_PATH = fileURLToPath(new URL("../openapi.json", import.meta.url));
export const CLIENT_TYPES_PATH = fileURLToPath(
  new URL("../clients/typescript/src/openapi-types.ts", import.meta.url),
);

/** The configuration the committed document describes: servers come from PUBLIC_URL, else this. */
const DOCUMENT_ENV = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/openapi_document_never_connected",
  API_KEYS: "openapi-document-key",
  LOG_LEVEL: "silent",
  DELIVERY_SANDBOX: "true",
};

export async function servedOpenApiDocument(env: Record<string, string> = {}): Promise<unknown> {
  const config = parseConfig({ ...DOCUMENT_ENV, ...env });
  const core = createCore(config, silentLogger, 1);
  const app = await buildHttpApp({ core, config });
  try {
    const response = await app.inject({ method: "GET", url: "/openapi.json" });
    if (response.statusCode !== 200) throw new Error(`/openapi.json answered ${response.statusCode}`);
    return response.json();
  } finally {
    await app.close();
    await core.close();
  }
}

export const documentText = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

export async function clientTypesText(documentJson: string): Promise<string> {
  const ast = await openapiTS(documentJson);
  return [
    "// Generated from openapi.json by `npm run openapi:write` (openapi-typescript); do not edit.",
    astToString(ast),
  ].join("\n");
}

export async function committedOpenApiText(): Promise<string> {
  return readFile(OPENAPI_PATH, "utf8");
}
