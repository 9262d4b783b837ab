import { PGlite } from "@electric-sql/pglite";

const t0 = Date.now();
const opts = { dataDir: process.argv[2] };
if (process.argv[3]) opts.initialMemory = Number(process.argv[3]) * 2 ** 20;
const db = await PGlite.create(opts);
console.log("open ms", Date.now() - t0, "rss MiB", Math.round(process.memoryUsage().rss / 2 ** 20));
await db.query("create table if not exists t(id serial primary key, body text)");
for (let i = 0; i < 2000; i++) await db.query("insert into t(body) values ($1)", ["x".repeat(200)]);
console.log("after inserts rss MiB", Math.round(process.memoryUsage().rss / 2 ** 20), "ms", Date.now() - t0);
const smaps = (await import("node:fs"))
  .readFileSync("/proc/self/smaps_rollup", "utf8")
  .match(/Pss:\s+(\d+)/)[1];
console.log("pss MiB", Math.round(smaps / 1024));
await db.close();
