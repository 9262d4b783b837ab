/**
 * The API's contract changes only on purpose: the committed openapi.json must be exactly what the
 * service serves, the TypeScript client's types exactly what openapi-typescript makes of it, and
 * every operation in it must have a method in both clients.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { NotificationServiceClient } from "../../clients/typescript/src/index.js";
import {
  CLIENT_TYPES_PATH,
  clientTypesText,
  committedOpenApiText,
  documentText,
  servedOpenApiDocument,
} from "../../scripts/openapi-document.js";

const REGENERATE = "run `npm run openapi:write` and commit openapi.json and the client's types";
const PYTHON_CLIENT = new URL("../../clients/python/notification_service_client.py", import.meta.url);

interface MediaType {
  example?: unknown;
  examples?: unknown;
  schema?: { examples?: unknown[] };
}

interface Operation {
  operationId?: string;
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}

interface OpenApiDocument {
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
}

/**
 * The API's operations: those under /api/, called with an API key. Pages outside it (such as an
 * email's unsubscribe link) are documented too, but are for people and mail providers, not clients.
 */
const apiOperationIds = (document: OpenApiDocument) =>
  Object.entries(document.paths)
    .filter(([path]) => path.startsWith("/api/"))
    .flatMap(([, item]) =>
      Object.values(item).flatMap((operation) => (operation.operationId ? [operation.operationId] : [])),
    );

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

describe("the API contract", () => {
  it("is the committed openapi.json, exactly as the service serves it", async () => {
    const served = documentText(await servedOpenApiDocument());
    expect(
      served === (await committedOpenApiText()),
      `openapi.json differs from /openapi.json: ${REGENERATE}`,
    ).toBe(true);
  });

  it("gives the TypeScript client the types generated from the committed document", async () => {
    const generated = await clientTypesText(await committedOpenApiText());
    const committed = await readFile(CLIENT_TYPES_PATH, "utf8");
    expect(generated === committed, `clients/typescript/src/openapi-types.ts is stale: ${REGENERATE}`).toBe(
      true,
    );
  });

  it("shows an example of every request body and every successful answer", async () => {
    const document = JSON.parse(await committedOpenApiText()) as OpenApiDocument;
    const exemplified = (media: MediaType) =>
      media.example !== undefined || media.examples !== undefined || media.schema?.examples !== undefined;
    const missing = Object.values(document.paths).flatMap((item) =>
      Object.values(item).flatMap((operation) => {
        const bodies = Object.values(operation.requestBody?.content ?? {}).map(
          (media) => ["request", media] as const,
        );
        const answers = Object.entries(operation.responses)
          .filter(([status]) => status.startsWith("2"))
          .flatMap(([status, answer]) =>
            Object.values(answer.content ?? {}).map((media) => [status, media] as const),
          );
        return [...bodies, ...answers]
          .filter(([, media]) => !exemplified(media))
          .map(([what]) => `${operation.operationId} ${what}`);
      }),
    );
    expect(missing, "add `examples` to these schemas in the route (src/entry/http/)").toEqual([]);
  });

  it("names the server from PUBLIC_URL", async () => {
    const document = (await servedOpenApiDocument({
      PUBLIC_URL: "https://notify.example.org/",
      UNSUBSCRIBE_SECRET: "a-test-secret-of-at-least-32-characters",
    })) as OpenApiDocument;
    expect(document.servers.map((server) => server.url)).toEqual(["https://notify.example.org"]);
  });

  it("has a method in both clients for every API operation", async () => {
    const document = JSON.parse(await committedOpenApiText()) as OpenApiDocument;
    const ids = apiOperationIds(document);
    expect(ids.length).toBeGreaterThan(20);
    const typescript = ids.filter(
      (id) =>
        typeof (NotificationServiceClient.prototype as unknown as Record<string, unknown>)[id] !== "function",
    );
    expect(typescript, "operations without a method in clients/typescript (camelCase operationId)").toEqual(
      [],
    );
    const pythonSource = await readFile(PYTHON_CLIENT, "utf8");
    const python = ids.filter((id) => !new RegExp(`^    def ${snakeCase(id)}\\(`, "m").test(pythonSource));
    expect(python, "operations without a method in clients/python (snake_case operationId)").toEqual([]);
  });
});
