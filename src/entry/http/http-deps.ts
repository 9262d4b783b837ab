import type { CoreDeps } from "../../app.js";
import type { Config } from "../../config.js";

/** What every part of the HTTP layer receives: the core's use-case dependencies and the configuration. */
export interface HttpDeps {
  core: CoreDeps;
  config: Config;
}
