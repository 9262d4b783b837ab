/**
 * Builds the dashboard into dist/dashboard: one JavaScript and one CSS bundle with content hashes
 * in their names (cached for good), index.html pointing at them (revalidated each time), and
 * brotli and gzip twins of each file. Run by `npm run build` and before the tests.
 */
import { cp, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";

const SOURCE_DIR = fileURLToPath(new URL("./src/", import.meta.url));
export const DASHBOARD_OUT_DIR = fileURLToPath(new URL("../dist/dashboard/", import.meta.url));

export async function buildDashboard(
  outDir = DASHBOARD_OUT_DIR,
): Promise<{ files: string[]; bytes: number }> {
  // Built aside and swapped in, so a server reading the folder never sees it half-written.
  const staging = `${outDir.replace(/[\\/]+$/, "")}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const result = await build({
    entryPoints: { app: join(SOURCE_DIR, "main.tsx") },
    outdir: join(staging, "assets"),
    entryNames: "[name]-[hash]",
    bundle: true,
    minify: true,
    format: "esm",
    target: ["chrome111", "firefox114", "safari16.4"],
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  const outputs = Object.keys(result.metafile.outputs);
  const script = outputs.find((file) => file.endsWith(".js"));
  const style = outputs.find((file) => file.endsWith(".css"));
  if (!script || !style) throw new Error("the dashboard build made no script or no stylesheet");
  const template = await readFile(join(SOURCE_DIR, "index.html"), "utf8");
  await writeFile(
    join(staging, "index.html"),
    template.replace("%SCRIPT%", basename(script)).replace("%STYLE%", basename(style)),
  );
  await cp(join(SOURCE_DIR, "favicon.svg"), join(staging, "favicon.svg"));

  const files = ["index.html", "favicon.svg", `assets/${basename(script)}`, `assets/${basename(style)}`];
  let bytes = 0;
  for (const file of files) {
    const content = await readFile(join(staging, file));
    bytes += content.length;
    await writeFile(
      join(staging, `${file}.br`),
      brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    await writeFile(join(staging, `${file}.gz`), gzipSync(content, { level: 9 }));
  }
  await mkdir(join(outDir, ".."), { recursive: true });
  await rm(outDir, { recursive: true, force: true });
  await rename(staging, outDir);
  return { files, bytes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { files, bytes } = await buildDashboard();
  process.stdout.write(
    `dashboard: ${files.length} files, ${(bytes / 1024).toFixed(1)} KB before compression\n`,
  );
}
