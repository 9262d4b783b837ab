import { PGlite } from "@electric-sql/pglite";

let db = await PGlite.create({ dataDir: process.argv[2] });
await db.close();
db = null;
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 500));
globalThis.gc?.();
console.log("after first close rss", Math.round(process.memoryUsage().rss / 2 ** 20));
db = await PGlite.create({ dataDir: process.argv[2] });
globalThis.gc?.();
console.log("reopen rss", Math.round(process.memoryUsage().rss / 2 ** 20));
