/**
 * `npm start`: everything a newcomer needs in one command. Prepares the database, serves the API
 * in this process and runs the delivery worker (worker.js) in a child process, restarted if it dies.
 */
import { runApiWithWorker, siblingEntry } from "./launcher.js";
import { runMain } from "./process.js";

await runMain(() => runApiWithWorker({ entry: siblingEntry(import.meta.url, "worker"), args: [] }));
