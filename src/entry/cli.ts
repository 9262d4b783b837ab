/**
 * The `notification-service` command (bin/notification-service.js runs the built copy;
 * `npm run cli --` runs this source with tsx). The commands live in ./cli/.
 */
import { runCli } from "./cli/program.js";

const code = await runCli(process.argv);
// One-shot commands end here; flushing stdout first keeps piped output whole.
if (code !== null) process.stdout.write("", () => process.exit(code));
