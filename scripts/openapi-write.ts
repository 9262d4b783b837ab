/** Regenerates the committed openapi.json and the TypeScript client's types from the code. */
import { writeFile } from "node:fs/promises";
import {
  CLIENT_TYPES_PATH,
  clientTypesText,
  documentText,
  OPENAPI_PATH,
  servedOpenApiDocument,
} from "./openapi-document.js";

const text = documentText(await servedOpenApiDocument());
await writeFile(OPENAPI_PATH, text);
await writeFile(CLIENT_TYPES_PATH, await clientTypesText(text));
process.stdout.write(`wrote ${OPENAPI_PATH} and ${CLIENT_TYPES_PATH}\n`);
