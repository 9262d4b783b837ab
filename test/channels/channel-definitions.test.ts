/**
 * Each vendor's folder describes its channel: how it is configured, which values are secrets,
 * whom it can reach and why not. The rest of the service learns all of it from there.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { channelAddressing, channelSecrets, fallbackAddresses } from "../../src/channels/build-providers.js";
import { parseConfig } from "../../src/config.js";
import type { Recipient } from "../../src/core/model.js";
import { createLogger } from "../../src/logging.js";

const TOKEN = "123456789:AAchannel-definitions-token";
const everything = {
  SMS_RU_API_ID: "sms-api-id-secret",
  EMAIL_HOST: "127.0.0.1",
  EMAIL_HOST_USER: "mailer@example.com",
  EMAIL_HOST_PASSWORD: "smtp-password-secret",
  TELEGRAM_BOT_TOKEN: TOKEN,
};
const nobody: Recipient = {
  id: 1,
  email: "",
  firstName: "A",
  lastName: "B",
  phoneNumber: null,
  telegramId: null,
};

describe("channel definitions", () => {
  it("address each recipient by the contact their channel needs, with the configured fallback", () => {
    const addressing = channelAddressing(parseConfig({ ...everything, TELEGRAM_CHAT_ID: "555" }));
    const reachable = {
      ...nobody,
      email: "bob@example.com",
      phoneNumber: "+79990001122",
      telegramId: "-100123",
    };
    expect(addressing.addressOf("sms", reachable)).toBe("+79990001122");
    expect(addressing.addressOf("email", reachable)).toBe("bob@example.com");
    expect(addressing.addressOf("telegram", reachable)).toBe("-100123");
    expect(addressing.addressOf("sms", nobody)).toBeNull();
    expect(addressing.addressOf("email", nobody)).toBeNull();
    // TELEGRAM_CHAT_ID serves users without a telegram_id of their own.
    expect(addressing.addressOf("telegram", nobody)).toBe("555");
    expect(addressing.isFallbackFor("telegram", nobody)).toBe(true);
    expect(addressing.isFallbackFor("telegram", reachable)).toBe(false);
    expect(addressing.isFallbackFor("sms", nobody)).toBe(false);
    expect(channelAddressing(parseConfig(everything)).addressOf("telegram", nobody)).toBeNull();
    // The fallback is what the claim looks suppressions up for, besides the user's own contacts.
    expect(fallbackAddresses(parseConfig({ ...everything, TELEGRAM_CHAT_ID: "-555" }))).toEqual({
      telegram: "-555",
    });
    expect(fallbackAddresses(parseConfig(everything))).toEqual({});
    // Without a bot token Telegram is skipped as not configured, so its chat id is no fallback.
    expect(fallbackAddresses(parseConfig({ TELEGRAM_CHAT_ID: "-555" }))).toEqual({});
  });

  it("say why a recipient cannot be reached, and why an unconfigured channel is off", () => {
    const addressing = channelAddressing(parseConfig({}));
    expect(addressing.noContactReason("sms")).toBe("the user has no phone number");
    expect(addressing.noContactReason("email")).toBe("the user has no email address");
    expect(addressing.noContactReason("telegram")).toBe(
      "the user has no telegram_id and TELEGRAM_CHAT_ID is not set",
    );
    expect(parseConfig({}).missingChannels).toEqual({
      sms: "SMS.ru is not configured (SMS_RU_API_ID is not set)",
      email: "email is not configured (EMAIL_HOST is not set)",
      telegram: "Telegram is not configured (TELEGRAM_BOT_TOKEN is not set)",
    });
  });

  it("name their secrets, and the logger never prints them", () => {
    const config = parseConfig(everything);
    expect(channelSecrets(config).sort()).toEqual(
      [TOKEN, "sms-api-id-secret", "smtp-password-secret"].sort(),
    );
    expect(channelSecrets(parseConfig({ EMAIL_HOST: "127.0.0.1", EMAIL_FROM: "a@b.c" }))).toEqual([]);

    let written = "";
    const sink = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    const logger = createLogger({ ...config, logLevel: "info" }, sink);
    logger.info(
      { url: `https://api.telegram.org/bot${TOKEN}/sendMessage` },
      "sms-api-id-secret smtp-password-secret",
    );
    expect(written).toContain("[REDACTED]");
    expect(written).not.toContain(TOKEN);
    expect(written).not.toContain("sms-api-id-secret");
    expect(written).not.toContain("smtp-password-secret");
  });
});
