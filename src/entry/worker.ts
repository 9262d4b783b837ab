/** Runs the delivery worker alone: `npm run start:worker`. Any number may run at once. */
import { runWorker } from "./launcher.js";
import { runMain } from "./process.js";

await runMain(runWorker);
