/**
 * One set of schemas validates requests, shapes responses (compiled serialisers) and documents
 * the API in /openapi.json. Field names follow the original Django service.
 */
import { Type } from "typebox";
import {
  ATTEMPT_STATUSES,
  CHANNELS,
  DELIVERY_STATES,
  EXACT_COUNT_LIMIT,
  NOTIFICATION_STATUSES,
  PRIORITIES,
  SUPPRESSION_REASONS,
} from "../../core/model.js";
import { NOTIFICATION_FIELD_MAX_LENGTHS } from "../../core/notification-field-limits.js";
import { USER_FIELD_MAX_LENGTHS } from "../../core/user-field-limits.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./pagination.js";

const MAX_ID = Number.MAX_SAFE_INTEGER;
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

/** `?page=&page_size=`, read by pageParams (pagination.ts). */
export const PageQuery = Type.Object({
  page: Type.Optional(Type.String({ description: "1-based page number" })),
  page_size: Type.Optional(
    Type.String({ description: `Default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` }),
  ),
});

/** `?before=`, a cursor for the lists that grow newest first; read by pageParams. */
export const BeforeQuery = {
  before: Type.Optional(
    Type.String({
      description:
        "Only those with a smaller id (older). Pass the last id of a page to read the next one: each page then costs the same however deep, and rows created meanwhile never repeat",
      examples: ["1041"],
    }),
  ),
};

/** `?page=&page_size=&before=`, for a list that grows newest first. */
export const CursorPageQuery = Type.Object({ ...BeforeQuery, ...PageQuery.properties });

/** One page of a list, as paginate (pagination.ts) answers it. */
const PageCount = {
  count: Type.Integer({
    description: `How many match: counted exactly up to ${EXACT_COUNT_LIMIT.toLocaleString("en-US")}, PostgreSQL's estimate beyond (count_exact false)`,
  }),
  count_exact: Type.Boolean({
    description: "false when count is an estimate; next still says exactly whether another page exists",
  }),
};

export const Page = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({
    ...PageCount,
    next: Nullable(Type.String()),
    previous: Nullable(Type.String()),
    results: Type.Array(item),
  });

export const IdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: MAX_ID, description: "The id" }),
});

const CLOCK_TIME_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

/** What to tell a caller whose value does not match a schema's pattern (Ajv would show the regex). */
export const PATTERN_PROBLEMS: Readonly<Record<string, string>> = {
  [CLOCK_TIME_PATTERN]: "Enter a time of day as HH:MM, 24-hour (07:30, 22:00).",
};

const QuietHoursSchema = Type.Object(
  {
    start: Type.String({ pattern: CLOCK_TIME_PATTERN, description: "HH:MM, 24-hour" }),
    end: Type.String({ pattern: CLOCK_TIME_PATTERN, description: "HH:MM, 24-hour" }),
  },
  {
    additionalProperties: false,
    description:
      "A daily window in the user's timezone during which non-critical notifications wait until it ends; it may cross midnight. Ignored while the user has no timezone.",
    examples: [{ start: "22:00", end: "08:00" }],
  },
);

/** The profile fields POST /api/users/ and PATCH /api/users/{id}/ share. */
const profileFields = {
  first_name: Type.Optional(Type.String({ maxLength: USER_FIELD_MAX_LENGTHS.first_name })),
  last_name: Type.Optional(Type.String({ maxLength: USER_FIELD_MAX_LENGTHS.last_name })),
  phone_number: Type.Optional(
    Type.Union([Type.String({ maxLength: USER_FIELD_MAX_LENGTHS.phone_number }), Type.Null()], {
      description: "Any common notation; stored in E.164, e.g. +79990001122",
    }),
  ),
  telegram_id: Type.Optional(
    Type.Union(
      [Type.String({ maxLength: USER_FIELD_MAX_LENGTHS.telegram_id }), Type.Integer(), Type.Null()],
      {
        description: "Telegram chat id: digits, a leading minus for groups",
      },
    ),
  ),
  locale: Type.Optional(
    Type.Union([Type.String({ maxLength: USER_FIELD_MAX_LENGTHS.locale }), Type.Null()], {
      description: "BCP 47 language tag templates render in (e.g. en, pt-BR); null: the template's default",
      examples: ["pt-BR"],
    }),
  ),
  timezone: Type.Optional(
    Type.Union([Type.String({ maxLength: USER_FIELD_MAX_LENGTHS.timezone }), Type.Null()], {
      description: "IANA time zone (e.g. Europe/Berlin) for quiet hours; null: no quiet hours",
      examples: ["Europe/Berlin"],
    }),
  ),
  quiet_hours: Type.Optional(Type.Union([QuietHoursSchema, Type.Null()])),
};

export const UpdateUserBody = Type.Object(
  {
    email: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: USER_FIELD_MAX_LENGTHS.email,
        description: "Unique (case-insensitive)",
      }),
    ),
    ...profileFields,
  },
  {
    additionalProperties: false,
    description:
      "Only the fields given change; null clears an optional one. The password cannot be changed here.",
    examples: [{ locale: "de", timezone: "Europe/Berlin", quiet_hours: { start: "22:00", end: "07:30" } }],
  },
);

export const CreateUserBody = Type.Object(
  {
    email: Type.String({
      minLength: 1,
      maxLength: USER_FIELD_MAX_LENGTHS.email,
      description: "Unique (case-insensitive)",
    }),
    password: Type.String({
      minLength: 1,
      maxLength: USER_FIELD_MAX_LENGTHS.password,
      description: "Stored only as a scrypt hash; never returned",
    }),
    ...profileFields,
  },
  {
    additionalProperties: false,
    examples: [
      {
        email: "bob@example.com",
        password: "correct horse",
        first_name: "Bob",
        phone_number: "+7 999 000-11-22",
        telegram_id: "123456789",
      },
    ],
  },
);

export const ImportUserBody = Type.Object(
  {
    ...CreateUserBody.properties,
    password: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: USER_FIELD_MAX_LENGTHS.password,
        description:
          "Optional here: without one the user has no password. Stored only as a scrypt hash; an existing user's is left as it is",
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ email: "bob@example.com", first_name: "Bob", phone_number: "+79990001122" }],
  },
);

export const userExample = {
  id: 1,
  email: "bob@example.com",
  first_name: "Bob",
  last_name: "",
  phone_number: "+79990001122",
  telegram_id: "123456789",
  locale: null,
  timezone: "Europe/Berlin",
  quiet_hours: { start: "22:00", end: "08:00" },
};

export const User = Type.Object(
  {
    id: Type.Integer(),
    email: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    phone_number: Nullable(Type.String()),
    telegram_id: Nullable(Type.String()),
    locale: Nullable(Type.String({ description: "BCP 47 tag templates render in" })),
    timezone: Nullable(Type.String({ description: "IANA time zone" })),
    quiet_hours: Type.Union([QuietHoursSchema, Type.Null()]),
  },
  { examples: [userExample] },
);

export const TelegramLinkSchema = Type.Object(
  {
    url: Type.String({ description: "Opens the bot in Telegram with the code; give it to the user" }),
    code: Type.String({
      description: "The start parameter in the link (single-use; stored only as a hash, never shown again)",
    }),
    expires_at: Type.String({ format: "date-time", description: "The link no longer works after this" }),
  },
  {
    examples: [
      {
        url: "https://t.me/acme_notify_bot?start=q5Xb1m4vJ0kPz2Yw8nR3tUcA7eLd6hGf",
        code: "q5Xb1m4vJ0kPz2Yw8nR3tUcA7eLd6hGf",
        expires_at: "2026-12-04T09:00:00.000Z",
      },
    ],
  },
);

const ChannelName = Type.Enum(CHANNELS, { description: "A delivery channel" });

const Rfc3339 = (description: string, example: string) =>
  Type.Union([Type.String({ format: "date-time", description, examples: [example] }), Type.Null()]);

/** The caller's labels as stored: null when none were given. */
export const MetadataOutput = Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()], {
  description: "Your own labels, as given; null when none",
  examples: [{ order_id: "A-1042" }],
});

/** The caller's labels as a request gives them; validateMetadata checks the rest, saying what is wrong. */
const MetadataInput = Type.Union(
  [
    Type.Record(Type.String(), Type.String(), {
      maxProperties: 20,
      description:
        'Your own labels (e.g. {"order_id": "A-1042", "tenant": "acme"}): at most 20 keys of 1-40 letters, digits, "_", "-", "." or ":", each a string of at most 500 characters. Shown with the notification, sent in its webhooks, found with ?metadata=key:value; never sent to the recipient.',
    }),
    Type.Null(),
  ],
  { examples: [{ order_id: "A-1042" }] },
);

export const CreateNotificationBody = Type.Object(
  {
    user: Type.Integer({ minimum: 1, maximum: MAX_ID, description: "The recipient's user id" }),
    message: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description:
          "The text to deliver (at most MAX_MESSAGE_LENGTH characters). Required unless template is given; not both.",
      }),
    ),
    template: Type.Optional(
      Type.Union([Type.String({ maxLength: NOTIFICATION_FIELD_MAX_LENGTHS.template }), Type.Null()], {
        description:
          "The key of a template to render instead of message: rendered now, for every channel the notification may use, in the user's locale (else the template's default_locale). A missing variable, an unknown filter or a render error is a 400 and nothing is stored.",
        examples: ["otp"],
      }),
    ),
    data: Type.Optional(
      Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
        description: "The template's `data` variables (at most 16 KB of JSON); only with template",
        examples: [{ code: "123456", minutes: 10 }],
      }),
    ),
    send_at: Type.Optional(
      Rfc3339(
        "Not before this time (RFC 3339 with an offset); in the past means now",
        "2026-12-01T09:00:00+03:00",
      ),
    ),
    expires_at: Type.Optional(
      Rfc3339(
        "Never delivered at or after this time; it ends with status expired instead. Not with ttl_seconds.",
        "2026-12-01T09:10:00+03:00",
      ),
    ),
    ttl_seconds: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 366 * 86_400 }), Type.Null()], {
        description: "expires_at as seconds from now. Not with expires_at.",
        examples: [600],
      }),
    ),
    priority: Type.Optional(
      Type.Union([Type.Enum(PRIORITIES), Type.Null()], {
        description:
          "critical: delivered even inside the user's quiet hours (never after its expiry). Default normal.",
      }),
    ),
    subject: Type.Optional(
      Type.Union([Type.String({ maxLength: NOTIFICATION_FIELD_MAX_LENGTHS.subject }), Type.Null()], {
        description: "Email subject",
      }),
    ),
    category: Type.Optional(
      Type.Union([Type.String({ maxLength: NOTIFICATION_FIELD_MAX_LENGTHS.category }), Type.Null()], {
        description:
          'What kind of message it is: a slug of lower-case letters, digits, "-" and "_" (e.g. security, marketing, billing). The user\'s preferences for the category apply (unless priority is critical or the category is in CRITICAL_CATEGORIES), and its emails carry a one-click unsubscribe link when PUBLIC_URL is set.',
        examples: ["marketing"],
      }),
    ),
    channels: Type.Optional(
      Type.Union([Type.Array(Type.String(), { maxItems: CHANNELS.length }), Type.Null()], {
        description: "Ordered channels to try instead of CHANNEL_ORDER: a subset of sms, email, telegram",
      }),
    ),
    metadata: Type.Optional(MetadataInput),
  },
  {
    additionalProperties: false,
    examples: [
      {
        user: 1,
        message: "Your order has shipped",
        channels: ["telegram", "email"],
        metadata: { order_id: "A-1042" },
      },
      { user: 1, template: "otp", data: { code: "123456" }, ttl_seconds: 300, priority: "critical" },
      { user: 1, template: "reminder", data: { event: "Standup" }, send_at: "2026-12-01T09:00:00+03:00" },
      { user: 1, message: "20% off this week", category: "marketing" },
    ],
  },
);

export const CreateNotificationHeaders = Type.Object({
  "idempotency-key": Type.Optional(
    Type.String({
      description:
        "1-255 printable ASCII characters, unique per notification you mean to send (e.g. a UUID). A retry with the same key and body returns the first notification (same id, header Idempotent-Replayed: true) and sends nothing again; the same key with another body is a 409. Keys are per API key and remembered IDEMPOTENCY_TTL_HOURS (24 h).",
    }),
  ),
});

const DeliveryStateSchema = Type.Enum(DELIVERY_STATES, {
  description:
    "For an attempt a provider accepted: accepted (no final receipt yet; email always stays here), delivered (a receipt said so; Telegram at once), undelivered (a receipt said it cannot be delivered), unknown (no final receipt within SMS_RECEIPT_MAX_AGE_SECONDS). Null for attempts not accepted.",
  examples: ["delivered"],
});

const ReceiptEntrySchema = Type.Object(
  {
    at: Type.String({ format: "date-time" }),
    state: Type.Union([Type.Literal("in_transit"), Type.Literal("delivered"), Type.Literal("undelivered")]),
    code: Nullable(Type.String()),
    text: Nullable(Type.String()),
  },
  {
    examples: [
      {
        at: "2026-12-02T10:00:15.000Z",
        state: "in_transit",
        code: "102",
        text: "Сообщение отправлено (в пути)",
      },
    ],
  },
);

export const AttemptSchema = Type.Object({
  channel: ChannelName,
  status: Type.Enum(ATTEMPT_STATUSES),
  round: Type.Integer({ description: "1 for the first round, 2 for the first retry, ..." }),
  error: Nullable(Type.String({ description: "Why it failed or was skipped" })),
  error_kind: Nullable(
    Type.String({
      description:
        "failed: transient, rate_limited, permanent or misconfigured; skipped: no_contact, not_configured, circuit_open, no_template_body, preference (the user turned the channel off) or suppressed (the address is suppressed)",
    }),
  ),
  provider_code: Nullable(Type.String({ description: "The provider's own code" })),
  provider_message_id: Nullable(Type.String()),
  started_at: Type.String({ format: "date-time" }),
  finished_at: Nullable(Type.String({ format: "date-time" })),
  delivery: Type.Union([DeliveryStateSchema, Type.Null()]),
  delivered_at: Nullable(
    Type.String({ format: "date-time", description: "When the provider said the recipient has it" }),
  ),
  receipt_code: Nullable(
    Type.String({
      description: "The provider's latest receipt code (SMS.ru sms/status status_code)",
      examples: ["103"],
    }),
  ),
  receipt_text: Nullable(
    Type.String({ description: "The provider's text for receipt_code", examples: ["Сообщение доставлено"] }),
  ),
  receipts: Type.Array(ReceiptEntrySchema, {
    description: "The provider's receipts for this message, oldest first (one entry per change of code)",
  }),
});

const RenderedBodiesSchema = Type.Object(
  {
    sms: Type.Optional(Type.Object({ text: Type.String() })),
    email: Type.Optional(
      Type.Object({
        subject: Type.Optional(Nullable(Type.String())),
        text: Type.String(),
        html: Type.Optional(Nullable(Type.String())),
      }),
    ),
    telegram: Type.Optional(
      Type.Object({
        text: Type.String(),
        parse_mode: Type.Optional(Type.Union([Type.Literal("HTML"), Type.Null()])),
      }),
    ),
  },
  {
    description:
      "What the template rendered to per channel; a channel missing here has no body and is skipped (no_template_body)",
    examples: [
      {
        sms: { text: "Your code is 123456" },
        email: {
          subject: "Your code",
          text: "Your code is 123456",
          html: "<p>Your code is <b>123456</b></p>",
        },
      },
    ],
  },
);

export const notificationExample = {
  id: 41,
  user: 1,
  message: "Your code is 1234",
  subject: null,
  channels: null,
  status: "sent",
  retry_count: 0,
  last_channel: "email",
  sent_at: "2026-11-19T08:29:23.718Z",
  created_at: "2026-11-19T08:29:22.896Z",
  next_attempt_at: null,
  failure_reason: null,
  history_from_round: 1,
  priority: "normal",
  category: null,
  metadata: null,
  expires_at: null,
  template: null,
  locale: null,
  rendered: null,
  broadcast: null,
  delivery: "accepted",
  delivered_at: null,
  attempts: [
    {
      channel: "sms",
      status: "failed",
      round: 1,
      error: "На этот номер нельзя отправлять сообщения",
      error_kind: "permanent",
      provider_code: "207",
      provider_message_id: null,
      started_at: "2026-11-19T08:29:22.950Z",
      finished_at: "2026-11-19T08:29:23.101Z",
      delivery: null,
      delivered_at: null,
      receipt_code: null,
      receipt_text: null,
      receipts: [],
    },
    {
      channel: "email",
      status: "sent",
      round: 1,
      error: null,
      error_kind: null,
      provider_code: null,
      provider_message_id: "<a1b2c3@example.com>",
      started_at: "2026-11-19T08:29:23.102Z",
      finished_at: "2026-11-19T08:29:23.718Z",
      delivery: "accepted",
      delivered_at: null,
      receipt_code: null,
      receipt_text: null,
      receipts: [],
    },
  ],
};

export const NotificationSchema = Type.Object(
  {
    id: Type.Integer(),
    user: Type.Integer(),
    message: Type.String(),
    subject: Nullable(Type.String()),
    channels: Type.Union([Type.Array(ChannelName), Type.Null()]),
    status: Type.Enum(NOTIFICATION_STATUSES),
    retry_count: Type.Integer(),
    last_channel: Type.Union([ChannelName, Type.Null()]),
    sent_at: Nullable(Type.String({ format: "date-time" })),
    created_at: Type.String({ format: "date-time" }),
    next_attempt_at: Nullable(
      Type.String({
        format: "date-time",
        description:
          "While pending: when the next round may start (send_at, the end of the user's quiet hours, or a retry's time)",
      }),
    ),
    failure_reason: Nullable(Type.String()),
    history_from_round: Type.Integer({
      description:
        "The round a manual retry started (1 if never retried by hand); earlier attempts no longer count against delivery",
    }),
    priority: Type.Enum(PRIORITIES),
    category: Nullable(Type.String({ description: "What kind of message it is, e.g. marketing" })),
    metadata: MetadataOutput,
    expires_at: Nullable(
      Type.String({ format: "date-time", description: "Never delivered at or after this time" }),
    ),
    template: Nullable(Type.String({ description: "The template it was rendered from" })),
    locale: Nullable(Type.String({ description: "The locale the template was rendered in" })),
    rendered: Type.Union([RenderedBodiesSchema, Type.Null()]),
    broadcast: Type.Union([
      Type.Integer({ description: "The broadcast it was fanned out from, if any" }),
      Type.Null(),
    ]),
    delivery: Type.Union([DeliveryStateSchema, Type.Null()], {
      description:
        "The delivery state of the latest attempt a provider accepted (null when none was). status stays sent on undelivered: sent means a provider accepted it",
    }),
    delivered_at: Nullable(
      Type.String({ format: "date-time", description: "When that attempt's message reached the recipient" }),
    ),
    attempts: Type.Array(AttemptSchema),
  },
  { examples: [notificationExample] },
);

export const NotificationListQuery = Type.Object({
  user: Type.Optional(Type.String({ description: "Only this user's notifications" })),
  status: Type.Optional(Type.String({ description: `One of ${NOTIFICATION_STATUSES.join(", ")}` })),
  channel: Type.Optional(
    Type.String({
      description:
        "Only those whose last_channel is this channel: the one that delivered it, or the last one tried",
    }),
  ),
  search: Type.Optional(
    Type.String({
      maxLength: 200,
      description: "Only those whose message contains this text (case-insensitive; % and _ are literal)",
    }),
  ),
  scheduled: Type.Optional(
    Type.String({
      description:
        "true: only pending notifications waiting for a later time (send_at, quiet hours, a retry); false: only pending ones due now",
      examples: ["true"],
    }),
  ),
  broadcast: Type.Optional(
    Type.String({ description: "Only the notifications fanned out from this broadcast", examples: ["7"] }),
  ),
  category: Type.Optional(
    Type.String({ description: "Only those of this category", examples: ["marketing"] }),
  ),
  metadata: Type.Optional(
    Type.String({
      maxLength: 600,
      description: "key:value: only those whose metadata has this key with this value",
      examples: ["order_id:A-1042"],
    }),
  ),
  ...BeforeQuery,
  page: Type.Optional(Type.String({ description: "1-based page number" })),
  page_size: Type.Optional(Type.String({ description: "Default 50, at most 200" })),
});

export const NotificationPage = Type.Object(
  {
    ...PageCount,
    next: Nullable(Type.String()),
    previous: Nullable(Type.String()),
    results: Type.Array(NotificationSchema),
  },
  {
    examples: [
      {
        count: 120,
        count_exact: true,
        next: "http://127.0.0.1:8000/api/notifications/?page=2&page_size=50",
        previous: null,
        results: [notificationExample],
      },
    ],
  },
);

export const ErrorBody = Type.Object(
  { detail: Type.Optional(Type.String()) },
  {
    additionalProperties: Type.Array(Type.String()),
    description: 'Either {"detail": "..."} or {"field": ["what is wrong", ...]}',
    examples: [{ message: ["This field may not be blank."] }, { detail: "Not found." }],
  },
);

const Timestamp = Type.String({ format: "date-time" });

/** A suppressed address (docs/audiences.md#suppressions). */
export const SuppressionSchema = Type.Object(
  {
    id: Type.Integer(),
    channel: Type.Enum(CHANNELS),
    address: Type.String({
      description: "As normalised: E.164 for sms, lower case for email, the chat id for telegram",
    }),
    reason: Type.Enum(SUPPRESSION_REASONS, {
      description:
        "bot_blocked (Telegram 403: bot blocked, user deactivated), hard_bounce (SMTP 550/551/553 to RCPT TO), invalid_number (SMS.ru 202/207), unsubscribed, manual",
    }),
    source: Type.Enum(["delivery", "api", "cli"] as const, {
      description: "delivery: added by the worker on the provider's reply; api, cli: by hand",
    }),
    evidence: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
      description:
        "From a delivery: provider_code, text (the provider's reply), notification_id, attempt_id. By hand: the note given.",
    }),
    created_at: Type.String({ format: "date-time" }),
  },
  {
    examples: [
      {
        id: 3,
        channel: "telegram",
        address: "123456789",
        reason: "bot_blocked",
        source: "delivery",
        evidence: {
          provider_code: "403",
          text: "Forbidden: bot was blocked by the user",
          notification_id: 41,
          attempt_id: 77,
        },
        created_at: "2026-12-01T09:00:00.000Z",
      },
    ],
  },
);

export const ChannelOverview = Type.Object(
  {
    window_seconds: Type.Integer({ description: "The span of the last_hour counts" }),
    failure_sample: Type.Integer({
      description: "How many of each channel's most recent failures common_failures is counted over",
    }),
    channels: Type.Array(
      Type.Object({
        channel: ChannelName,
        configured: Type.Boolean(),
        not_configured_reason: Nullable(Type.String({ description: "Why the channel has no provider" })),
        paused_reason: Nullable(
          Type.String({ description: "Why the channel is paused after a configuration error" }),
        ),
        order_position: Type.Union([Type.Integer(), Type.Null()], {
          description: "Its place in CHANNEL_ORDER (1 first), or null when CHANNEL_ORDER leaves it out",
        }),
        last_hour: Type.Object({ sent: Type.Integer(), failed: Type.Integer(), skipped: Type.Integer() }),
        last_success_at: Type.Union([Timestamp, Type.Null()]),
        fallback_address: Type.Union(
          [
            Type.Object({
              address: Type.String({ description: "TELEGRAM_CHAT_ID, as suppressions spell it" }),
              suppression: Type.Union([SuppressionSchema, Type.Null()], {
                description:
                  "Its suppression, or null: while suppressed, every user without an address of their own is skipped on this channel (error_kind suppressed). DELETE /api/suppressions/{id}/ lifts it.",
              }),
            }),
            Type.Null(),
          ],
          {
            description:
              "The address the channel uses for users without one of their own (Telegram's TELEGRAM_CHAT_ID), or null when none is configured",
          },
        ),
        common_failures: Type.Array(
          Type.Object({
            reason: Type.String(),
            error_kind: Nullable(Type.String()),
            provider_code: Nullable(Type.String()),
            count: Type.Integer(),
            last_seen_at: Timestamp,
          }),
          { description: "At most 3, most common first" },
        ),
      }),
    ),
  },
  {
    examples: [
      {
        window_seconds: 3600,
        failure_sample: 100,
        channels: [
          {
            channel: "sms",
            configured: true,
            not_configured_reason: null,
            paused_reason: null,
            order_position: 1,
            last_hour: { sent: 412, failed: 3, skipped: 0 },
            last_success_at: "2026-11-30T10:00:00.000Z",
            fallback_address: null,
            common_failures: [
              {
                reason: "На этот номер нельзя отправлять сообщения",
                error_kind: "permanent",
                provider_code: "207",
                count: 3,
                last_seen_at: "2026-11-30T09:58:12.000Z",
              },
            ],
          },
        ],
      },
    ],
  },
);

const LiquidSource = (description: string) => Type.String({ minLength: 1, maxLength: 20_000, description });

const LocaleBodiesSchema = Type.Object(
  {
    sms: Type.Optional(
      Type.Object({ text: LiquidSource("Liquid; rendered raw") }, { additionalProperties: false }),
    ),
    email: Type.Optional(
      Type.Object(
        {
          subject: Type.Optional(
            Nullable(Type.String({ maxLength: 20_000, description: "Liquid; rendered raw" })),
          ),
          text: LiquidSource("Liquid; rendered raw"),
          html: Type.Optional(
            Nullable(
              Type.String({
                maxLength: 20_000,
                description: "Liquid; every {{ }} output is HTML-escaped (| raw opts out)",
              }),
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    telegram: Type.Optional(
      Type.Object(
        {
          text: LiquidSource("Liquid; HTML-escaped when parse_mode is HTML, else raw"),
          parse_mode: Type.Optional(Type.Union([Type.Literal("HTML"), Type.Null()])),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: "A body per channel; a channel left out is skipped (no_template_body)",
  },
);

const templateExample = {
  key: "otp",
  description: "One-time sign-in code",
  default_locale: "en",
  locales: {
    en: {
      sms: { text: "Your code is {{ data.code }}" },
      email: {
        subject: "Your sign-in code",
        text: "Hello {{ user.first_name }}, your code is {{ data.code }}.",
        html: "<p>Hello {{ user.first_name }}, your code is <b>{{ data.code }}</b>.</p>",
      },
      telegram: { text: "Your code: <b>{{ data.code }}</b>", parse_mode: "HTML" },
    },
    ru: { sms: { text: "Ваш код: {{ data.code }}" } },
  },
};

const templateFields = {
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  default_locale: Type.String({
    maxLength: 35,
    description: "The locale used when the user's is missing; must be in locales",
  }),
  locales: Type.Record(Type.String(), LocaleBodiesSchema, {
    description: "Per BCP 47 locale (en, ru, pt-BR, ...) a body per channel",
  }),
};

export const TemplateKeyParams = Type.Object({
  key: Type.String({ maxLength: 100, description: "The template's key", examples: ["otp"] }),
});

export const CreateTemplateBody = Type.Object(
  {
    key: Type.String({
      maxLength: 100,
      description: "Unique slug: lowercase letters, digits, - and _",
    }),
    ...templateFields,
  },
  { additionalProperties: false, examples: [templateExample] },
);

export const UpdateTemplateBody = Type.Object(
  {
    key: Type.Optional(
      Type.String({ maxLength: 100, description: "If given, must equal the key in the path" }),
    ),
    ...templateFields,
  },
  {
    additionalProperties: false,
    description: "Replaces the whole template",
    examples: [{ ...templateExample, key: undefined }],
  },
);

export const TemplateSchema = Type.Object(
  {
    key: Type.String(),
    description: Type.String(),
    default_locale: Type.String(),
    locales: Type.Record(Type.String(), LocaleBodiesSchema),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  {
    examples: [
      { ...templateExample, created_at: "2026-11-30T10:00:00.000Z", updated_at: "2026-11-30T10:00:00.000Z" },
    ],
  },
);

export const RenderTemplateBody = Type.Object(
  {
    data: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
    user: Type.Optional(
      Type.Union(
        [
          Type.Integer({ minimum: 1, maximum: MAX_ID, description: "A user id: their variables and locale" }),
          Type.Object(
            {
              id: Type.Optional(Type.Integer()),
              email: Type.Optional(Type.String()),
              first_name: Type.Optional(Type.String()),
              last_name: Type.Optional(Type.String()),
              phone_number: Type.Optional(Nullable(Type.String())),
              telegram_id: Type.Optional(Nullable(Type.String())),
              locale: Type.Optional(Nullable(Type.String())),
            },
            { additionalProperties: false, description: "Sample user variables" },
          ),
          Type.Null(),
        ],
        { description: "Whose `user` variables (and locale) to render with" },
      ),
    ),
    locale: Type.Optional(
      Nullable(Type.String({ maxLength: 35, description: "Overrides the user's locale" })),
    ),
    channels: Type.Optional(
      Type.Union([Type.Array(Type.String(), { maxItems: CHANNELS.length }), Type.Null()], {
        description: "Which channels to render; all by default",
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ data: { code: "123456" }, user: { first_name: "Ada" }, locale: "en" }],
  },
);

export const RenderDraftBody = Type.Object(
  {
    template: Type.Object(
      {
        key: Type.Optional(Type.String({ maxLength: 100 })),
        ...templateFields,
      },
      {
        additionalProperties: false,
        description: "The template as POST /api/templates/ takes it; key optional",
      },
    ),
    ...RenderTemplateBody.properties,
  },
  {
    additionalProperties: false,
    examples: [
      {
        template: {
          default_locale: "en",
          locales: { en: { sms: { text: "Your code is {{ data.code }}" } } },
        },
        data: { code: "123456" },
      },
    ],
  },
);

export const RenderedTemplateSchema = Type.Object(
  {
    template: Type.String(),
    locale: Type.String({ description: "The locale chosen (the one asked for, or the fallback)" }),
    rendered: RenderedBodiesSchema,
  },
  {
    examples: [{ template: "otp", locale: "en", rendered: { sms: { text: "Your code is 123456" } } }],
  },
);
