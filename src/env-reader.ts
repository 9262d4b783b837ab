/**
 * Reads typed values from an environment object, failing with one ConfigError line that names the
 * variable. Only config.ts and the channel definitions it consults use it, on the object
 * config.ts hands them; nothing reads process.env but config.ts.
 */
import { CHANNELS, type Channel, isChannel } from "./core/model.js";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export type Env = Record<string, string | undefined>;

export type EnvReader = ReturnType<typeof envReader>;

export function envReader(env: Env) {
  const optional = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const fail = (name: string, expected: string, value: string): never => {
    throw new ConfigError(`${name} must be ${expected}, got ${JSON.stringify(value)}`);
  };
  const number = (name: string, fallback: number, range: { min: number; max: number }): number => {
    const raw = optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < range.min || value > range.max) {
      return fail(name, `a number from ${range.min} to ${range.max}`, raw);
    }
    return value;
  };
  return {
    optional,
    string: (name: string, fallback: string): string => optional(name) ?? fallback,
    region: (name: string, fallback: string): string => {
      const raw = optional(name) ?? fallback;
      return /^[A-Za-z]{2}$/.test(raw) ? raw.toUpperCase() : fail(name, "a two-letter country code", raw);
    },
    number,
    integer: (name: string, fallback: number, range: { min: number; max: number }): number => {
      const value = number(name, fallback, range);
      return Number.isInteger(value) ? value : fail(name, "a whole number", String(value));
    },
    boolean: (name: string, fallback: boolean): boolean => {
      const raw = optional(name);
      if (raw === undefined) return fallback;
      if (/^(true|1|yes|on)$/i.test(raw)) return true;
      if (/^(false|0|no|off)$/i.test(raw)) return false;
      return fail(name, "true or false", raw);
    },
    oneOf: <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
      const raw = optional(name);
      if (raw === undefined) return fallback;
      const value = raw.toLowerCase() as T;
      return allowed.includes(value) ? value : fail(name, `one of ${allowed.join(", ")}`, raw);
    },
    url: (name: string, fallback: string, protocols: string[]): string => {
      const raw = optional(name) ?? fallback;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        // The value may hold a password, so it is not echoed.
        throw new ConfigError(`${name} is not a valid URL`);
      }
      if (!protocols.includes(url.protocol)) {
        throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(" or ")}`);
      }
      return raw.replace(/\/+$/, "");
    },
    list: (name: string): string[] =>
      (optional(name) ?? "")
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    channelList: (name: string, fallback: Channel[]): Channel[] => {
      const raw = optional(name);
      if (raw === undefined) return fallback;
      const items = raw
        .split(",")
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean);
      const unknown = items.filter((item) => !isChannel(item));
      if (items.length === 0 || unknown.length > 0) {
        return fail(name, `a comma-separated list of ${CHANNELS.join(", ")}`, raw);
      }
      if (new Set(items).size !== items.length) return fail(name, "a list without repeats", raw);
      return items as Channel[];
    },
  };
}
