import type { Core } from "../../app.js";
import { ConfigError } from "../../config.js";
import { createFirstApiKey } from "../../usecases/api-keys.js";

/**
 * Decides at start-up how callers get in. A development start with no key anywhere creates one
 * and prints it once (to the terminal, never to the log); production refuses to start without a
 * key unless AUTH_DISABLED=true says otherwise on purpose.
 */
export async function ensureApiAccess(core: Core, print: (text: string) => void): Promise<void> {
  const { config, logger } = core;
  if (config.authDisabled) {
    logger.warn(
      {},
      "AUTH_DISABLED=true: the API accepts requests WITHOUT an API key. Never expose it like this.",
    );
    return;
  }
  if (config.apiKeys.length > 0 || (await core.apiKeys.countActive()) > 0) return;
  if (config.nodeEnv === "production") {
    throw new ConfigError(
      "no API key is configured: set API_KEYS, create one with `notification-service keys create`, or set AUTH_DISABLED=true on purpose",
    );
  }
  const key = await createFirstApiKey(core);
  if (!key) return;
  print(
    [
      "",
      "  No API key was configured, so one was created. It is shown only this once:",
      "",
      `      ${key}`,
      "",
      "  Send it as `Authorization: Bearer <key>`. Manage keys with `notification-service keys`.",
      "",
    ].join("\n"),
  );
}
