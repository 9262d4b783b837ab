/**
 * The Notification Service API, one method per operation of openapi.json (its operationId),
 * typed from the document. Creates of notifications carry an Idempotency-Key, so that this
 * client's own retries (and yours, with the same key) never send a message twice.
 */
import { randomUUID } from "node:crypto";
import createClient, { type Client } from "openapi-fetch";
import { type ErrorBody, NotificationServiceError } from "./errors.js";
import type { operations, paths } from "./openapi-types.js";
import { type RetryOptions, retryingFetch, withRetryDefaults } from "./retry-policy.js";
import { readServerSentEvents } from "./server-sent-events.js";

type JsonOf<R> = R extends { content: { "application/json": infer T } } ? T : never;
type Responses<Op extends keyof operations> = operations[Op]["responses"];
type Ok<Op extends keyof operations, S extends keyof Responses<Op>> = JsonOf<Responses<Op>[S]>;
type BodyOf<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { "application/json": infer T } };
}
  ? T
  : never;
/** A list's query, numbers and booleans allowed where the API reads them from strings. */
type QueryOf<Op extends keyof operations> = {
  [K in keyof NonNullable<operations[Op]["parameters"]["query"]>]?:
    | NonNullable<operations[Op]["parameters"]["query"]>[K]
    | number
    | boolean;
};

export type User = Ok<"getUser", 200>;
export type CreateUserRequest = BodyOf<"createUser">;
export type UpdateUserRequest = BodyOf<"updateUser">;
export type ImportUserRequest = BodyOf<"importUsers">["users"][number];
export type ImportedUsers = Ok<"importUsers", 200>;
export type UserPage = Ok<"listUsers", 200>;
export type TelegramLink = Ok<"createTelegramLink", 201>;
export type ListUsersQuery = QueryOf<"listUsers">;
export type Notification = Ok<"getNotification", 200>;
export type CreateNotificationRequest = BodyOf<"createNotification">;
export type CreatedNotifications = Ok<"createNotifications", 201>;
export type NotificationPage = Ok<"listNotifications", 200>;
export type ListNotificationsQuery = QueryOf<"listNotifications">;
export type OutboxPage = Ok<"listOutbox", 200>;
export type OutboxMessage = OutboxPage["results"][number];
export type ListOutboxQuery = QueryOf<"listOutbox">;
export type ChannelOverview = Ok<"getChannelOverview", 200>;
export type Template = Ok<"getTemplate", 200>;
export type TemplatePage = Ok<"listTemplates", 200>;
export type CreateTemplateRequest = BodyOf<"createTemplate">;
export type UpdateTemplateRequest = BodyOf<"updateTemplate">;
export type RenderTemplateDraftRequest = BodyOf<"renderTemplateDraft">;
export type RenderTemplateRequest = BodyOf<"renderTemplate">;
export type RenderedTemplate = Ok<"renderTemplate", 200>;
export type Webhook = Ok<"getWebhook", 200>;
export type WebhookWithSecret = Ok<"createWebhook", 201>;
export type WebhookPage = Ok<"listWebhooks", 200>;
export type CreateWebhookRequest = BodyOf<"createWebhook">;
export type UpdateWebhookRequest = BodyOf<"updateWebhook">;
export type WebhookDelivery = Ok<"replayWebhookDelivery", 202>;
export type WebhookDeliveryPage = Ok<"listWebhookDeliveries", 200>;
export type PageQuery = QueryOf<"listWebhooks">;
/** A page query of a list that also takes `before` (an id: only older items). */
export type CursorPageQuery = QueryOf<"listWebhookDeliveries">;
export type Broadcast = Ok<"getBroadcast", 200>;
export type BroadcastPage = Ok<"listBroadcasts", 200>;
export type CreateBroadcastRequest = BodyOf<"createBroadcast">;
export type Preferences = Ok<"getPreferences", 200>;
export type ReplacePreferencesRequest = BodyOf<"replacePreferences">;
export type Suppression = Ok<"removeSuppression", 200>;
export type SuppressionPage = Ok<"listSuppressions", 200>;
export type ListSuppressionsQuery = QueryOf<"listSuppressions">;
export type AddSuppressionRequest = BodyOf<"addSuppression">;

/** A DRF-style page: `{count, count_exact, next, previous, results}`. */
export interface Page<T> {
  /** Exact up to 10,000 matches; beyond, PostgreSQL's estimate (count_exact false). */
  count: number;
  count_exact: boolean;
  /** Whether another page exists, exactly, whatever the count. */
  next: string | null;
  previous: string | null;
  results: T[];
}

/**
 * One event of GET /api/notifications/events/ (`ready` once live, `resync` when changes may be
 * missed). `id` is a notification's, except in `user` events, where it is the user's, and in
 * `suppression` events, the suppression's. Skip types you do not know: new ones may come.
 */
export interface NotificationEvent {
  type: "created" | "updated" | "attempt" | "user" | "suppression" | "ready" | "resync" | (string & {});
  id?: number;
  status?: string;
  channel?: string;
  /** In `user` events: what happened to the user; in `suppression` events, `created` or `deleted`. */
  change?: "created" | "updated" | "erased" | "deleted" | (string & {});
}

export interface ClientOptions {
  /** Where the service answers, e.g. https://notify.example.org */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  retry?: RetryOptions;
  /** A fetch of your own (proxies, tracing); the built-in one by default. */
  fetch?: (request: Request) => Promise<Response>;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface CreateNotificationOptions extends CallOptions {
  /** Reuse one key for one message you mean to send, across your own retries; default a new UUID. */
  idempotencyKey?: string;
}

export type CreateBroadcastOptions = CreateNotificationOptions;

export class NotificationServiceClient {
  private readonly http: Client<paths>;

  constructor(options: ClientOptions) {
    const fetchOnce = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    this.http = createClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      headers: { authorization: `Bearer ${options.apiKey}` },
      fetch: retryingFetch(fetchOnce, withRetryDefaults(options.retry)),
    });
  }

  // users

  createUser(body: CreateUserRequest, options: CallOptions = {}): Promise<User> {
    return this.call(this.http.POST("/api/users/", { body, ...options }));
  }

  /**
   * Up to 1,000 users in one request, stored all or none, answered in the same order; passwords
   * are optional here. An email already taken fails the whole import, unless `updateExisting`:
   * then that user's given fields change instead, which also makes repeating an import safe.
   */
  importUsers(
    users: ImportUserRequest[],
    { updateExisting = false, ...options }: CallOptions & { updateExisting?: boolean } = {},
  ): Promise<ImportedUsers> {
    return this.call(
      this.http.POST("/api/users/bulk/", { body: { users, update_existing: updateExisting }, ...options }),
    );
  }

  getUser(id: number, options: CallOptions = {}): Promise<User> {
    return this.call(this.http.GET("/api/users/{id}/", { params: { path: { id } }, ...options }));
  }

  updateUser(id: number, body: UpdateUserRequest, options: CallOptions = {}): Promise<User> {
    return this.call(this.http.PATCH("/api/users/{id}/", { params: { path: { id } }, body, ...options }));
  }

  /** Newest first; with `email`, `phone_number` or `telegram_id`, only the users who have it. */
  listUsers(query: ListUsersQuery = {}, options: CallOptions = {}): Promise<UserPage> {
    return this.call(this.http.GET("/api/users/", { params: { query: strings(query) }, ...options }));
  }

  iterateUsers(query: ListUsersQuery = {}, options: CallOptions = {}) {
    return this.walkBefore(query.before, (before) =>
      this.listUsers({ ...query, before, page: undefined }, options),
    );
  }

  /** Erases the user with their notifications and attempts, for good. */
  async deleteUser(id: number, options: CallOptions = {}): Promise<void> {
    await this.call(this.http.DELETE("/api/users/{id}/", { params: { path: { id } }, ...options }));
  }

  /**
   * A t.me link that connects the user's Telegram chat when they open it and press Start (their
   * telegram_id is set then). Single-use, valid until `expires_at`. Needs TELEGRAM_LINKS=true.
   */
  createTelegramLink(userId: number, options: CallOptions = {}): Promise<TelegramLink> {
    return this.call(
      this.http.POST("/api/users/{id}/telegram-link/", { params: { path: { id: userId } }, ...options }),
    );
  }

  /** The channels the user turned off, everywhere and per category. */
  getPreferences(userId: number, options: CallOptions = {}): Promise<Preferences> {
    return this.call(
      this.http.GET("/api/users/{id}/preferences/", { params: { path: { id: userId } }, ...options }),
    );
  }

  replacePreferences(
    userId: number,
    body: ReplacePreferencesRequest,
    options: CallOptions = {},
  ): Promise<Preferences> {
    return this.call(
      this.http.PUT("/api/users/{id}/preferences/", { params: { path: { id: userId } }, body, ...options }),
    );
  }

  // notifications

  /** Retried on 503, 429 and network errors with the same Idempotency-Key: one notification at most. */
  createNotification(
    body: CreateNotificationRequest,
    { idempotencyKey = randomUUID(), ...options }: CreateNotificationOptions = {},
  ): Promise<Notification> {
    return this.call(
      this.http.POST("/api/notifications/", {
        body,
        params: { header: { "idempotency-key": idempotencyKey } },
        ...options,
      }),
    );
  }

  /**
   * Up to 500 notifications in one request, stored all or none, answered in the same order. One
   * Idempotency-Key covers them all, so a retried request never creates any of them twice.
   */
  async createNotifications(
    notifications: CreateNotificationRequest[],
    { idempotencyKey = randomUUID(), ...options }: CreateNotificationOptions = {},
  ): Promise<Notification[]> {
    const created: CreatedNotifications = await this.call(
      this.http.POST("/api/notifications/bulk/", {
        body: { notifications },
        params: { header: { "idempotency-key": idempotencyKey } },
        ...options,
      }),
    );
    return created.results;
  }

  getNotification(id: number, options: CallOptions = {}): Promise<Notification> {
    return this.call(this.http.GET("/api/notifications/{id}/", { params: { path: { id } }, ...options }));
  }

  listNotifications(
    query: ListNotificationsQuery = {},
    options: CallOptions = {},
  ): Promise<NotificationPage> {
    return this.call(this.http.GET("/api/notifications/", { params: { query: strings(query) }, ...options }));
  }

  /**
   * Every notification matching the query, newest first, page after page. Each page after the
   * first asks for those older than the last one seen (`before`), so notifications created while it
   * runs never repeat one, and a deep page costs no more than the first.
   */
  iterateNotifications(query: ListNotificationsQuery = {}, options: CallOptions = {}) {
    return this.walkBefore(query.before, (before) =>
      this.listNotifications({ ...query, before, page: undefined }, options),
    );
  }

  retryNotification(id: number, options: CallOptions = {}): Promise<Notification> {
    return this.call(
      this.http.POST("/api/notifications/{id}/retry/", { params: { path: { id } }, ...options }),
    );
  }

  cancelNotification(id: number, options: CallOptions = {}): Promise<Notification> {
    return this.call(
      this.http.POST("/api/notifications/{id}/cancel/", { params: { path: { id } }, ...options }),
    );
  }

  /** Live changes until `signal` aborts or the service closes the stream. */
  async *streamNotificationEvents(
    options: CallOptions = {},
  ): AsyncGenerator<NotificationEvent, void, undefined> {
    const body = await this.call(
      this.http.GET("/api/notifications/events/", { parseAs: "stream", ...options }),
    );
    if (!body) return;
    for await (const event of readServerSentEvents(body)) {
      yield JSON.parse(event.data) as NotificationEvent;
    }
  }

  // broadcasts

  /** Retried like createNotification, with the same Idempotency-Key: one broadcast at most. */
  createBroadcast(
    body: CreateBroadcastRequest,
    { idempotencyKey = randomUUID(), ...options }: CreateBroadcastOptions = {},
  ): Promise<Broadcast> {
    return this.call(
      this.http.POST("/api/broadcasts/", {
        body,
        params: { header: { "idempotency-key": idempotencyKey } },
        ...options,
      }),
    );
  }

  listBroadcasts(query: PageQuery = {}, options: CallOptions = {}): Promise<BroadcastPage> {
    return this.call(this.http.GET("/api/broadcasts/", { params: { query: strings(query) }, ...options }));
  }

  iterateBroadcasts(query: PageQuery = {}, options: CallOptions = {}) {
    return this.paginate((page) => this.listBroadcasts({ ...query, page }, options));
  }

  getBroadcast(id: number, options: CallOptions = {}): Promise<Broadcast> {
    return this.call(this.http.GET("/api/broadcasts/{id}/", { params: { path: { id } }, ...options }));
  }

  cancelBroadcast(id: number, options: CallOptions = {}): Promise<Broadcast> {
    return this.call(
      this.http.POST("/api/broadcasts/{id}/cancel/", { params: { path: { id } }, ...options }),
    );
  }

  // outbox and channels

  listOutbox(query: ListOutboxQuery = {}, options: CallOptions = {}): Promise<OutboxPage> {
    return this.call(this.http.GET("/api/outbox/", { params: { query: strings(query) }, ...options }));
  }

  iterateOutbox(query: ListOutboxQuery = {}, options: CallOptions = {}) {
    return this.walkBefore(query.before, (before) =>
      this.listOutbox({ ...query, before, page: undefined }, options),
    );
  }

  getChannelOverview(options: CallOptions = {}): Promise<ChannelOverview> {
    return this.call(this.http.GET("/api/channels/overview/", { ...options }));
  }

  // suppressions

  listSuppressions(query: ListSuppressionsQuery = {}, options: CallOptions = {}): Promise<SuppressionPage> {
    return this.call(this.http.GET("/api/suppressions/", { params: { query: strings(query) }, ...options }));
  }

  iterateSuppressions(query: ListSuppressionsQuery = {}, options: CallOptions = {}) {
    return this.walkBefore(query.before, (before) =>
      this.listSuppressions({ ...query, before, page: undefined }, options),
    );
  }

  addSuppression(body: AddSuppressionRequest, options: CallOptions = {}): Promise<Suppression> {
    return this.call(this.http.POST("/api/suppressions/", { body, ...options }));
  }

  removeSuppression(id: number, options: CallOptions = {}): Promise<Suppression> {
    return this.call(this.http.DELETE("/api/suppressions/{id}/", { params: { path: { id } }, ...options }));
  }

  // templates

  createTemplate(body: CreateTemplateRequest, options: CallOptions = {}): Promise<Template> {
    return this.call(this.http.POST("/api/templates/", { body, ...options }));
  }

  listTemplates(query: PageQuery = {}, options: CallOptions = {}): Promise<TemplatePage> {
    return this.call(this.http.GET("/api/templates/", { params: { query: strings(query) }, ...options }));
  }

  iterateTemplates(query: PageQuery = {}, options: CallOptions = {}) {
    return this.paginate((page) => this.listTemplates({ ...query, page }, options));
  }

  getTemplate(key: string, options: CallOptions = {}): Promise<Template> {
    return this.call(this.http.GET("/api/templates/{key}/", { params: { path: { key } }, ...options }));
  }

  updateTemplate(key: string, body: UpdateTemplateRequest, options: CallOptions = {}): Promise<Template> {
    return this.call(this.http.PUT("/api/templates/{key}/", { params: { path: { key } }, body, ...options }));
  }

  async deleteTemplate(key: string, options: CallOptions = {}): Promise<void> {
    await this.call(this.http.DELETE("/api/templates/{key}/", { params: { path: { key } }, ...options }));
  }

  renderTemplateDraft(
    body: RenderTemplateDraftRequest,
    options: CallOptions = {},
  ): Promise<RenderedTemplate> {
    return this.call(this.http.POST("/api/templates/render/", { body, ...options }));
  }

  renderTemplate(
    key: string,
    body: RenderTemplateRequest,
    options: CallOptions = {},
  ): Promise<RenderedTemplate> {
    return this.call(
      this.http.POST("/api/templates/{key}/render/", { params: { path: { key } }, body, ...options }),
    );
  }

  // webhooks

  /** The answer carries the signing secret, shown only here and by rotateWebhookSecret. */
  createWebhook(body: CreateWebhookRequest, options: CallOptions = {}): Promise<WebhookWithSecret> {
    return this.call(this.http.POST("/api/webhooks/", { body, ...options }));
  }

  listWebhooks(query: PageQuery = {}, options: CallOptions = {}): Promise<WebhookPage> {
    return this.call(this.http.GET("/api/webhooks/", { params: { query: strings(query) }, ...options }));
  }

  iterateWebhooks(query: PageQuery = {}, options: CallOptions = {}) {
    return this.paginate((page) => this.listWebhooks({ ...query, page }, options));
  }

  getWebhook(id: number, options: CallOptions = {}): Promise<Webhook> {
    return this.call(this.http.GET("/api/webhooks/{id}/", { params: { path: { id } }, ...options }));
  }

  updateWebhook(id: number, body: UpdateWebhookRequest, options: CallOptions = {}): Promise<Webhook> {
    return this.call(this.http.PATCH("/api/webhooks/{id}/", { params: { path: { id } }, body, ...options }));
  }

  async deleteWebhook(id: number, options: CallOptions = {}): Promise<void> {
    await this.call(this.http.DELETE("/api/webhooks/{id}/", { params: { path: { id } }, ...options }));
  }

  rotateWebhookSecret(id: number, options: CallOptions = {}): Promise<WebhookWithSecret> {
    return this.call(
      this.http.POST("/api/webhooks/{id}/rotate-secret/", { params: { path: { id } }, ...options }),
    );
  }

  listWebhookDeliveries(
    id: number,
    query: CursorPageQuery = {},
    options: CallOptions = {},
  ): Promise<WebhookDeliveryPage> {
    return this.call(
      this.http.GET("/api/webhooks/{id}/deliveries/", {
        params: { path: { id }, query: strings(query) },
        ...options,
      }),
    );
  }

  iterateWebhookDeliveries(id: number, query: CursorPageQuery = {}, options: CallOptions = {}) {
    return this.walkBefore(query.before, (before) =>
      this.listWebhookDeliveries(id, { ...query, before, page: undefined }, options),
    );
  }

  replayWebhookDelivery(id: number, deliveryId: number, options: CallOptions = {}): Promise<WebhookDelivery> {
    return this.call(
      this.http.POST("/api/webhooks/{id}/deliveries/{delivery_id}/replay/", {
        params: { path: { id, delivery_id: deliveryId } },
        ...options,
      }),
    );
  }

  testWebhook(id: number, options: CallOptions = {}): Promise<WebhookDelivery> {
    return this.call(this.http.POST("/api/webhooks/{id}/test/", { params: { path: { id } }, ...options }));
  }

  /**
   * Every item of a paginated list, page after page. A list that grows while it is read (newest
   * first) can show an item twice; deduplicate on `id` when that matters.
   */
  async *paginate<T>(fetchPage: (page: number) => Promise<Page<T>>): AsyncGenerator<T, void, undefined> {
    for (let page = 1; ; page++) {
      const current = await fetchPage(page);
      yield* current.results;
      if (current.next === null || current.results.length === 0) return;
    }
  }

  /**
   * Every item of a list that grows newest first, each page asking for those older than the last
   * item seen (`before`): items created meanwhile never repeat one, and every page costs the service
   * what the first does.
   */
  async *walkBefore<T extends { id: number }>(
    before: string | number | boolean | undefined,
    fetchPage: (before: string | undefined) => Promise<Page<T>>,
  ): AsyncGenerator<T, void, undefined> {
    let cursor = before === undefined ? undefined : String(before);
    for (;;) {
      const current = await fetchPage(cursor);
      yield* current.results;
      const last = current.results.at(-1);
      if (current.next === null || last === undefined) return;
      cursor = String(last.id);
    }
  }

  private async call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    let result: { data?: T; error?: unknown; response: Response };
    try {
      result = await pending;
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      throw new NotificationServiceError(
        0,
        { detail: `Could not reach the service: ${(error as Error).message}` },
        { cause: error },
      );
    }
    if (result.response.ok) return result.data as T;
    throw new NotificationServiceError(result.response.status, errorBody(result.error, result.response));
  }
}

function errorBody(error: unknown, response: Response): ErrorBody {
  if (error !== null && typeof error === "object" && !Array.isArray(error)) return error as ErrorBody;
  const text = typeof error === "string" ? error.trim() : "";
  return { detail: text || response.statusText || `HTTP ${response.status}` };
}

function strings(query: Record<string, string | number | boolean | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) if (value !== undefined) result[name] = String(value);
  return result;
}
