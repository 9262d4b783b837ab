/** The service's API as the dashboard uses it: every call carries the operator's key as a Bearer header. */

export type NotificationStatus = "pending" | "sent" | "failed" | "cancelled" | "expired";
export type Channel = "sms" | "email" | "telegram";
export const CHANNELS: Channel[] = ["sms", "email", "telegram"];
export const STATUSES: NotificationStatus[] = ["pending", "sent", "failed", "cancelled", "expired"];
/** A list filter beside the statuses: pending notifications waiting for a later time. */
export const SCHEDULED = "scheduled";

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
  delivery: DeliveryState | null;
  delivered_at: string | null;
  receipt_code: string | null;
  receipt_text: string | null;
  receipts: ReceiptEntry[];
}

export type DeliveryState = "accepted" | "delivered" | "undelivered" | "unknown";

export interface ReceiptEntry {
  at: string;
  state: "in_transit" | "delivered" | "undelivered";
  code: string | null;
  text: string | null;
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
  priority: "normal" | "critical";
  category: string | null;
  /** The caller's own labels; null when none. */
  metadata: Record<string, string> | null;
  expires_at: string | null;
  template: string | null;
  locale: string | null;
  rendered: RenderedBodies | null;
  broadcast: number | null;
  delivery: DeliveryState | null;
  delivered_at: string | null;
  attempts: Attempt[];
}

export type BroadcastStatus = "pending" | "fanning_out" | "done" | "cancelled";

export interface Broadcast {
  id: number;
  status: BroadcastStatus;
  all_users: boolean;
  total: number;
  fanned_out: number;
  counts: Record<NotificationStatus, number>;
  unknown_users: number[];
  unknown_user_count: number;
  message: string | null;
  subject: string | null;
  channels: Channel[] | null;
  template: string | null;
  category: string | null;
  send_at: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface RenderedBodies {
  sms?: { text: string };
  email?: { subject?: string | null; text: string; html?: string | null };
  telegram?: { text: string; parse_mode?: "HTML" | null };
}

export interface TemplateBodies {
  sms?: { text: string };
  email?: { subject?: string | null; text: string; html?: string | null };
  telegram?: { text: string; parse_mode?: "HTML" | null };
}

export interface Template {
  key: string;
  description: string;
  default_locale: string;
  locales: Record<string, TemplateBodies>;
  created_at: string;
  updated_at: string;
}

export type TemplateDraft = Pick<Template, "key" | "description" | "default_locale" | "locales">;

export interface RenderedTemplate {
  template: string;
  locale: string;
  rendered: RenderedBodies;
}

/** A Telegram connect link (POST /api/users/{id}/telegram-link/). */
export interface TelegramLink {
  url: string;
  code: string;
  expires_at: string;
}

export interface User {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone_number: string | null;
  telegram_id: string | null;
  locale: string | null;
  timezone: string | null;
  quiet_hours: { start: string; end: string } | null;
}

/** Channels a user turned off, everywhere or per category; what is not set is allowed. */
export interface Preferences {
  channels: Partial<Record<Channel, boolean>>;
  categories: Record<string, Partial<Record<Channel, boolean>>>;
}

export interface Suppression {
  id: number;
  channel: Channel;
  address: string;
  reason: string;
  source: "delivery" | "api" | "cli";
  evidence: Record<string, unknown> | null;
  created_at: string;
}

export interface Page<T> {
  /** An estimate when count_exact is false (a list too long to count). */
  count: number;
  count_exact: boolean;
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
  /** The address used for users without their own (TELEGRAM_CHAT_ID), and its suppression. */
  fallback_address: { address: string; suppression: Suppression | null } | null;
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

export interface WebhookEndpoint {
  id: number;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDelivery {
  id: number;
  event_id: string;
  event_type: string;
  status: "pending" | "succeeded" | "failed";
  attempt_count: number;
  next_attempt_at: string | null;
  created_at: string;
  finished_at: string | null;
  attempts: {
    attempted_at: string;
    response_status: number | null;
    response_body: string | null;
    error: string | null;
    duration_ms: number;
  }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** For a 400: what is wrong with each field, as the service said it. */
    readonly fields: Record<string, string[]> = {},
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
  /** Only the notifications fanned out from this broadcast. */
  broadcast?: string;
  page?: number;
}

/** The contacts a user can be looked up by, exactly as the list's query names them. */
export const USER_CONTACTS = ["email", "phone_number", "telegram_id"] as const;
export type UserContact = (typeof USER_CONTACTS)[number];

/** Exact lookups, each written any way the service accepts it (an email in any case, a phone in any notation). */
export type UserFilters = Partial<Record<UserContact, string>> & { page?: number };

export const PAGE_SIZE = 25;
/** Broadcasts per page: each carries its counts, read from an index per broadcast. */
export const BROADCAST_PAGE_SIZE = 10;

export class Api {
  constructor(
    private readonly key: string,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  authorization(): Record<string, string> {
    return { authorization: `Bearer ${this.key}` };
  }

  async request<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, payload?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          accept: "application/json",
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
          ...this.authorization(),
        },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
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
    throw new ApiError(response.status, message, fieldsOf(body));
  }

  notifications(filters: ListFilters): Promise<Page<Notification>> {
    const query = new URLSearchParams({ page_size: String(PAGE_SIZE), page: String(filters.page ?? 1) });
    for (const key of ["status", "channel", "user", "search", "broadcast"] as const) {
      const value = filters[key]?.trim();
      if (value) query.set(key, value);
    }
    if (filters.status === SCHEDULED) {
      query.set("status", "pending");
      query.set("scheduled", "true");
    }
    return this.request("GET", `/api/notifications/?${query}`);
  }

  notification(id: number): Promise<Notification> {
    return this.request("GET", `/api/notifications/${id}/`);
  }

  user(id: number): Promise<User> {
    return this.request("GET", `/api/users/${id}/`);
  }

  /** Newest first; the filters narrow them to the users who have that contact. */
  users(filters: UserFilters): Promise<Page<User>> {
    const query = new URLSearchParams({ page_size: String(PAGE_SIZE), page: String(filters.page ?? 1) });
    for (const key of USER_CONTACTS) {
      const value = filters[key]?.trim();
      if (value) query.set(key, value);
    }
    return this.request("GET", `/api/users/?${query}`);
  }

  /** The user with their notifications, attempts and webhook events, for good; suppressions stay. */
  eraseUser(id: number): Promise<null> {
    return this.request("DELETE", `/api/users/${id}/`);
  }

  telegramLink(userId: number): Promise<TelegramLink> {
    return this.request("POST", `/api/users/${userId}/telegram-link/`);
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

  webhooks(): Promise<Page<WebhookEndpoint>> {
    return this.request("GET", "/api/webhooks/?page_size=200");
  }

  webhookDeliveries(id: number): Promise<Page<WebhookDelivery>> {
    return this.request("GET", `/api/webhooks/${id}/deliveries/?page_size=20`);
  }

  testWebhook(id: number): Promise<WebhookDelivery> {
    return this.request("POST", `/api/webhooks/${id}/test/`);
  }

  replayWebhookDelivery(id: number, deliveryId: number): Promise<WebhookDelivery> {
    return this.request("POST", `/api/webhooks/${id}/deliveries/${deliveryId}/replay/`);
  }

  broadcasts(page: number): Promise<Page<Broadcast>> {
    return this.request("GET", `/api/broadcasts/?page=${page}&page_size=${BROADCAST_PAGE_SIZE}`);
  }

  cancelBroadcast(id: number): Promise<Broadcast> {
    return this.request("POST", `/api/broadcasts/${id}/cancel/`);
  }

  preferences(userId: number): Promise<Preferences> {
    return this.request("GET", `/api/users/${userId}/preferences/`);
  }

  savePreferences(userId: number, preferences: Preferences): Promise<Preferences> {
    return this.request("PUT", `/api/users/${userId}/preferences/`, preferences);
  }

  /** Newest first; `user` narrows them to that user's addresses. */
  suppressions(filters: { user?: number; page?: number }): Promise<Page<Suppression>> {
    const query = new URLSearchParams({ page_size: String(PAGE_SIZE), page: String(filters.page ?? 1) });
    if (filters.user !== undefined) query.set("user", String(filters.user));
    return this.request("GET", `/api/suppressions/?${query}`);
  }

  removeSuppression(id: number): Promise<Suppression> {
    return this.request("DELETE", `/api/suppressions/${id}/`);
  }

  outbox(page: number): Promise<Page<OutboxEntry>> {
    return this.request("GET", `/api/outbox/?page=${page}`);
  }

  templates(): Promise<Page<Template>> {
    return this.request("GET", "/api/templates/?page_size=200");
  }

  template(key: string): Promise<Template> {
    return this.request("GET", `/api/templates/${encodeURIComponent(key)}/`);
  }

  /** Creates the template, or replaces the one with its key when `existing`. */
  saveTemplate(draft: TemplateDraft, existing: boolean): Promise<Template> {
    return existing
      ? this.request("PUT", `/api/templates/${encodeURIComponent(draft.key)}/`, draft)
      : this.request("POST", "/api/templates/", draft);
  }

  /** Renders a draft as the service would, without saving it. */
  previewTemplate(
    draft: Omit<TemplateDraft, "key">,
    data: unknown,
    user: unknown,
    locale: string,
  ): Promise<RenderedTemplate> {
    return this.request("POST", "/api/templates/render/", { template: draft, data, user, locale });
  }
}

function fieldsOf(body: unknown): Record<string, string[]> {
  if (!body || typeof body !== "object") return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).filter(([, value]) => Array.isArray(value)),
  ) as Record<string, string[]>;
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
