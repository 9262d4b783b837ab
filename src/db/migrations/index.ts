import { initialSchema } from "./001-initial-schema.js";
import { apiKeys } from "./002-api-keys.js";
import { dashboard } from "./005-dashboard.js";

/** Every migration, oldest first. Never edit one that has shipped: add the next. */
export const migrations: { name: string; sql: string }[] = [initialSchema, apiKeys, dashboard];
