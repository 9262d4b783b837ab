import type { ChannelDefinition } from "../channel-definition.js";
import { SmsRuProvider } from "./sms-ru-provider.js";

export interface SmsRuConfig {
  apiUrl: string;
  apiId: string;
  senderName: string | null;
  /** Ask SMS.ru what became of each accepted message (SMS_RECEIPTS, on by default). */
  receipts: boolean;
}

export const smsRuChannel: ChannelDefinition<SmsRuConfig> = {
  channel: "sms",
  vendor: "SMS.ru",
  readSettings(read) {
    const apiUrl = read.url("SMS_RU_API_URL", "https://sms.ru", ["http:", "https:"]);
    const senderName = read.optional("SMS_SENDER_NAME") ?? null;
    const apiId = read.optional("SMS_RU_API_ID");
    const receipts = read.boolean("SMS_RECEIPTS", true);
    return apiId ? { apiUrl, apiId, senderName, receipts } : null;
  },
  notConfiguredReason: "SMS.ru is not configured (SMS_RU_API_ID is not set)",
  secretsOf: (settings) => [settings.apiId],
  addressOf: (recipient) => recipient.phoneNumber,
  noContactReason: () => "the user has no phone number",
  createProvider: (settings) => new SmsRuProvider(settings),
};
