/** The service's API as the dashboard uses it: every call carries the operator's key as a Bearer header. */

export type NotificationStatus = "pending" | "sent" | "failed" | "cancelled";
export type Channel = "sms" | "email" | "telegram";
export const CHANNELS: Channel[] = ["sms", "email", "telegram"];
export const STATUSES: NotificationStatus[] = ["pending", "sent", "failed", "cancelled"];

export interface Attempt {
  channel: Channel;
  status: "in_progress" | "sent" | "failed" | "skipped" | "interrupted";
  round: number;
  error: string | null;
  error_kind: string | null;
  provider_code: string | null;
  provider_message_id: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface Notification {
  id: number;
  user: number;
  message: string;
  subject: string | null;
  channels: Channel[] | null;
  status: NotificationStatus;
  retry_count: number;
  last_channel: Channel | null;
  sent_at: string | null;
  created_at: string;
  next_attempt_at: string | null;
  failure_reason: string | null;
  history_from_round: number;
  attempts: Attempt[];
}

export interface User {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone_number: string | null;
  telegram_id: string | null;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface ChannelSummary {
  channel: Channel;
  configured: boolean;
  not_configured_reason: string | null;
  paused_reason: string | null;
  order_position: number | null;
  last_hour: { sent: number; failed: number; skipped: number };
  last_success_at: string | null;
  common_failures: {
    reason: string;
    error_kind: string | null;
    provider_code: string | null;
    count: number;
    last_seen_at: string;
  }[];
}

export interface ChannelOverview {
  window_seconds: number;
  failure_sample: number;
  channels: ChannelSummary[];
}

export interface OutboxEntry {
  id: number;
  notification: number;
  channel: Channel;
  to: string;
  subject: string | null;
  text: string;
  created_at: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The key was refused: the app signs out. */
export class Unauthorized extends ApiError {}

export interface ListFilters {
  status?: string;
  channel?: string;
  user?: string;
  search?: string;
  page?: number;
}

export const PAGE_SIZE = 25;

export class Api {
  constructor(
    private readonly key: string,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  authorization(): Record<string, string> {
    return { authorization: `Bearer ${this.key}` };
  }

  async request<T>(method: "GET" | "POST", path: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: { accept: "application/json", ...this.authorization() },
      });
    } catch {
      throw new ApiError(0, "The service cannot be reached. Check your connection and try again.");
    }
    const body = await response.json().catch(() => null);
    if (response.ok) return body as T;
    const message = describeError(response.status, body);
    if (response.status === 401) {
      this.onUnauthorized();
      throw new Unauthorized(401, message);
    }
    throw new ApiError(response.status, message);
  }

  notifications(filters: ListFilters): Promise<Page<Notification>> {
    const query = new URLSearchParams({ page_size: String(PAGE_SIZE), page: String(filters.page ?? 1) });
    for (const key of ["status", "channel", "user", "search"] as const) {
      const value = filters[key]?.trim();
      if (value) query.set(key, value);
    }
    return this.request("GET", `/api/notifications/?${query}`);
  }

  notification(id: number): Promise<Notification> {
    return this.request("GET", `/api/notifications/${id}/`);
  }

  user(id: number): Promise<User> {
    return this.request("GET", `/api/users/${id}/`);
  }

  retry(id: number): Promise<Notification> {
    return this.request("POST", `/api/notifications/${id}/retry/`);
  }

  cancel(id: number): Promise<Notification> {
    return this.request("POST", `/api/notifications/${id}/cancel/`);
  }

  channels(): Promise<ChannelOverview> {
    return this.request("GET", "/api/channels/overview/");
  }

  outbox(page: number): Promise<Page<OutboxEntry>> {
    return this.request("GET", `/api/outbox/?page=${page}`);
  }
}

/** DRF-shaped errors: {"detail": "..."} or {"field": ["..."]}. */
function describeError(status: number, body: unknown): string {
  if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    if (typeof record.detail === "string") return record.detail;
    const fields = Object.entries(record)
      .filter(([, value]) => Array.isArray(value))
      .map(([field, value]) => `${field}: ${(value as string[]).join(" ")}`);
    if (fields.length > 0) return fields.join("; ");
  }
  return `The service answered ${status}.`;
}
