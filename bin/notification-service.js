#!/usr/bin/env node
// The package's command: runs the built CLI (npm run build makes dist/).
try {
  await import("../dist/entry/cli.js");
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/entry/cli.js")) {
    process.stderr.write("notification-service: dist/ is missing; run `npm run build` first\n");
    process.exit(1);
  }
  throw error;
}
