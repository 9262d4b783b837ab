import { ConfigError } from "../../env-reader.js";
import type { ChannelDefinition } from "../channel-definition.js";
import { SmsRuProvider } from "./sms-ru-provider.js";

export interface SmsRuConfig {
  apiUrl: string;
  apiId: string;
  senderName: string | null;
  /** Ask SMS.ru what became of each accepted message (SMS_RECEIPTS, on by default). */
  receipts: boolean;
  /**
   * The secret path segment of the status callback SMS.ru posts to (SMS_RU_CALLBACK_TOKEN); null:
   * no callback, polling alone. SMS.ru does not sign callbacks, so this is what keeps others out.
   */
  callbackToken: string | null;
}

const MIN_CALLBACK_TOKEN_LENGTH = 32;
/** Well under the router's longest path segment (maxParamLength, 200). */
const MAX_CALLBACK_TOKEN_LENGTH = 128;

export const smsRuChannel: ChannelDefinition<SmsRuConfig> = {
  channel: "sms",
  vendor: "SMS.ru",
  readSettings(read) {
    const apiUrl = read.url("SMS_RU_API_URL", "https://sms.ru", ["http:", "https:"]);
    const senderName = read.optional("SMS_SENDER_NAME") ?? null;
    const apiId = read.optional("SMS_RU_API_ID");
    const receipts = read.boolean("SMS_RECEIPTS", true);
    const callbackToken = readCallbackToken(read.optional("SMS_RU_CALLBACK_TOKEN"), receipts, apiId);
    return apiId ? { apiUrl, apiId, senderName, receipts, callbackToken } : null;
  },
  notConfiguredReason: "SMS.ru is not configured (SMS_RU_API_ID is not set)",
  secretsOf: (settings) => [settings.apiId, settings.callbackToken],
  addressOf: (recipient) => recipient.phoneNumber,
  noContactReason: () => "the user has no phone number",
  createProvider: (settings) => new SmsRuProvider(settings),
};

function readCallbackToken(
  token: string | undefined,
  receipts: boolean,
  apiId: string | undefined,
): string | null {
  if (token === undefined) return null;
  // The value is a secret: errors name the variable, never echo it.
  if (token.length < MIN_CALLBACK_TOKEN_LENGTH || token.length > MAX_CALLBACK_TOKEN_LENGTH) {
    throw new ConfigError(
      `SMS_RU_CALLBACK_TOKEN must be ${MIN_CALLBACK_TOKEN_LENGTH} to ${MAX_CALLBACK_TOKEN_LENGTH} characters long (a random string)`,
    );
  }
  if (!/^[A-Za-z0-9_-]+$/.test(token)) {
    throw new ConfigError(
      "SMS_RU_CALLBACK_TOKEN may only contain letters, digits, - and _ (it is a path segment of the callback URL)",
    );
  }
  if (!receipts) {
    throw new ConfigError(
      "SMS_RU_CALLBACK_TOKEN needs SMS receipts: polling stays the backup for callbacks SMS.ru does not make, and SMS_RECEIPTS=false turns it off",
    );
  }
  if (!apiId) {
    throw new ConfigError("SMS_RU_CALLBACK_TOKEN is set but SMS_RU_API_ID is not: SMS.ru is not configured");
  }
  return token;
}
