const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();
const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** Today's times as a time alone, older ones with their date. */
export function shortTime(iso: string | null): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return sameDay(date, new Date()) ? timeFormat.format(date) : dateTimeFormat.format(date);
}

export function fullTime(iso: string | null): string {
  return iso ? fullFormat.format(new Date(iso)) : "—";
}

export function duration(startIso: string, endIso: string | null): string {
  if (!endIso) return "in progress";
  const ms = Math.max(0, Date.parse(endIso) - Date.parse(startIso));
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

export function relative(iso: string | null, now = Date.now()): string {
  if (!iso) return "never";
  const seconds = Math.round((Date.parse(iso) - now) / 1_000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, "second");
  if (abs < 3_600) return format.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return format.format(Math.round(seconds / 3_600), "hour");
  return format.format(Math.round(seconds / 86_400), "day");
}

export const CHANNEL_NAMES: Record<string, string> = { sms: "SMS", email: "Email", telegram: "Telegram" };
export const channelName = (channel: string | null) => (channel ? (CHANNEL_NAMES[channel] ?? channel) : "—");

/** The time as a clock in `timeZone` reads it, with the zone's short name ("09:00 CET"). */
export function timeIn(iso: string, timeZone: string): string {
  try {
    // dateStyle and timeStyle cannot be combined with timeZoneName: spelled out instead.
    return new Intl.DateTimeFormat(undefined, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZone,
      timeZoneName: "short",
    }).format(new Date(iso));
  } catch {
    return fullTime(iso);
  }
}

/** A pending notification waiting for a later time (send_at, quiet hours, a retry): when it goes. */
export function scheduledFor(notification: {
  status: string;
  next_attempt_at: string | null;
}): string | null {
  if (notification.status !== "pending" || !notification.next_attempt_at) return null;
  return Date.parse(notification.next_attempt_at) > Date.now() ? notification.next_attempt_at : null;
}
