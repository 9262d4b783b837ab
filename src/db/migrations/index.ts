import { initialSchema } from "./001-initial-schema.js";

/** Every migration, oldest first. Never edit one that has shipped: add the next. */
export const migrations: { name: string; sql: string }[] = [initialSchema];
