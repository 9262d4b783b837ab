/**
 * One set of schemas validates requests, shapes responses (compiled serialisers) and documents
 * the API in /openapi.json. Field names follow the original Django service.
 */
import { Type } from "typebox";
import { ATTEMPT_STATUSES, CHANNELS, NOTIFICATION_STATUSES } from "../../core/model.js";

const MAX_ID = Number.MAX_SAFE_INTEGER;
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const IdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: MAX_ID, description: "The id" }),
});

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254, description: "Unique (case-insensitive)" }),
    password: Type.String({
      minLength: 1,
      maxLength: 256,
      description: "Stored only as a scrypt hash; never returned",
    }),
    first_name: Type.Optional(Type.String({ maxLength: 150 })),
    last_name: Type.Optional(Type.String({ maxLength: 150 })),
    phone_number: Type.Optional(
      Type.Union([Type.String({ maxLength: 32 }), Type.Null()], {
        description: "Any common notation; stored in E.164, e.g. +79990001122",
      }),
    ),
    telegram_id: Type.Optional(
      Type.Union([Type.String({ maxLength: 32 }), Type.Integer(), Type.Null()], {
        description: "Telegram chat id: digits, a leading minus for groups",
      }),
    ),
  },
  { additionalProperties: false },
);

export const User = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  phone_number: Nullable(Type.String()),
  telegram_id: Nullable(Type.String()),
});

const ChannelName = Type.Enum(CHANNELS, { description: "A delivery channel" });

export const CreateNotificationBody = Type.Object(
  {
    user: Type.Integer({ minimum: 1, maximum: MAX_ID, description: "The recipient's user id" }),
    message: Type.String({ description: "The text to deliver (at most MAX_MESSAGE_LENGTH characters)" }),
    subject: Type.Optional(
      Type.Union([Type.String({ maxLength: 255 }), Type.Null()], { description: "Email subject" }),
    ),
    channels: Type.Optional(
      Type.Union([Type.Array(Type.String(), { maxItems: CHANNELS.length }), Type.Null()], {
        description: "Ordered channels to try instead of CHANNEL_ORDER: a subset of sms, email, telegram",
      }),
    ),
  },
  { additionalProperties: false },
);

export const CreateNotificationHeaders = Type.Object({
  "idempotency-key": Type.Optional(
    Type.String({
      description:
        "1-255 printable ASCII characters, unique per notification you mean to send (e.g. a UUID). A retry with the same key and body returns the first notification (same id, header Idempotent-Replayed: true) and sends nothing again; the same key with another body is a 409. Keys are per API key and remembered IDEMPOTENCY_TTL_HOURS (24 h).",
    }),
  ),
});

export const AttemptSchema = Type.Object({
  channel: ChannelName,
  status: Type.Enum(ATTEMPT_STATUSES),
  round: Type.Integer({ description: "1 for the first round, 2 for the first retry, ..." }),
  error: Nullable(Type.String({ description: "Why it failed or was skipped" })),
  error_kind: Nullable(
    Type.String({
      description:
        "failed: transient, rate_limited, permanent or misconfigured; skipped: no_contact, not_configured or circuit_open",
    }),
  ),
  provider_code: Nullable(Type.String({ description: "The provider's own code" })),
  provider_message_id: Nullable(Type.String()),
  started_at: Type.String({ format: "date-time" }),
  finished_at: Nullable(Type.String({ format: "date-time" })),
});

export const NotificationSchema = Type.Object({
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
    Type.String({ format: "date-time", description: "While a round is due or waiting" }),
  ),
  failure_reason: Nullable(Type.String()),
  history_from_round: Type.Integer({
    description:
      "The round a manual retry started (1 if never retried by hand); earlier attempts no longer count against delivery",
  }),
  attempts: Type.Array(AttemptSchema),
});

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
  page: Type.Optional(Type.String({ description: "1-based page number" })),
  page_size: Type.Optional(Type.String({ description: "Default 50, at most 200" })),
});

export const NotificationPage = Type.Object({
  count: Type.Integer(),
  next: Nullable(Type.String()),
  previous: Nullable(Type.String()),
  results: Type.Array(NotificationSchema),
});

export const ErrorBody = Type.Object(
  { detail: Type.Optional(Type.String()) },
  {
    additionalProperties: Type.Array(Type.String()),
    description: 'Either {"detail": "..."} or {"field": ["what is wrong", ...]}',
  },
);

const Timestamp = Type.String({ format: "date-time" });

export const ChannelOverview = Type.Object({
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
});
