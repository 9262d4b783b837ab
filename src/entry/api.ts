/** Runs the HTTP API alone: `npm run start:api`. Any number may run against one database and Redis. */
import { runApi } from "./launcher.js";
import { runMain } from "./process.js";

await runMain(runApi);
