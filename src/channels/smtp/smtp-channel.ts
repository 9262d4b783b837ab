import { ConfigError } from "../../env-reader.js";
import type { ChannelDefinition } from "../channel-definition.js";
import { SmtpProvider } from "./smtp-provider.js";

export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (EMAIL_USE_SSL). */
  useSsl: boolean;
  /** STARTTLS required (EMAIL_USE_TLS). */
  useTls: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

export const smtpChannel: ChannelDefinition<SmtpConfig> = {
  channel: "email",
  vendor: "SMTP",
  readSettings(read) {
    const useSsl = read.boolean("EMAIL_USE_SSL", false);
    const useTls = read.boolean("EMAIL_USE_TLS", false);
    if (useSsl && useTls) {
      throw new ConfigError(
        "EMAIL_USE_SSL and EMAIL_USE_TLS are both true: choose one (SSL = implicit TLS, usually port 465; TLS = STARTTLS, usually 587)",
      );
    }
    const port = read.integer("EMAIL_PORT", useSsl ? 465 : 25, { min: 1, max: 65535 });
    const user = read.optional("EMAIL_HOST_USER") ?? null;
    const password = read.optional("EMAIL_HOST_PASSWORD") ?? null;
    const from = read.optional("EMAIL_FROM") ?? user;
    const host = read.optional("EMAIL_HOST");
    if (!host) return null;
    if (!from) throw new ConfigError("EMAIL_FROM is not set and there is no EMAIL_HOST_USER to send from");
    return { host, port, useSsl, useTls, user, password, from };
  },
  notConfiguredReason: "email is not configured (EMAIL_HOST is not set)",
  secretsOf: (settings) => [settings.password],
  addressOf: (recipient) => recipient.email || null,
  noContactReason: () => "the user has no email address",
  createProvider: (settings, context) =>
    new SmtpProvider(settings, context.smtpTls ? { tls: context.smtpTls } : {}),
};
