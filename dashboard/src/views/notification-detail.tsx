import { useCallback, useEffect, useState } from "preact/hooks";
import type { Api, Attempt, Notification, User } from "../api.js";
import { DeliveryBadge, ErrorNote, StatusBadge, useLiveReload } from "../components.js";
import { channelName, duration, fullTime, relative, scheduledFor, timeIn } from "../format.js";
import type { LiveFeed } from "../live.js";
import { concernsNotification } from "../live-events.js";

export function NotificationDetail(props: { id: number; api: Api; live: LiveFeed }) {
  const { id, api } = props;
  const [notification, setNotification] = useState<Notification | null>(null);
  const [user, setUser] = useState<User | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setNotification(await api.notification(id));
      setError(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, [api, id]);

  useEffect(() => {
    void load();
  }, [load]);
  const userId = notification?.user;
  useEffect(() => {
    if (userId === undefined) return;
    api.user(userId).then(setUser, () => setUser(null));
  }, [api, userId]);
  useLiveReload(props.live, (event) => concernsNotification(event, id), load, 150);

  const act = async (action: "retry" | "cancel") => {
    setBusy(true);
    setActionError(null);
    try {
      setNotification(await (action === "retry" ? api.retry(id) : api.cancel(id)));
    } catch (failure) {
      setActionError((failure as Error).message);
      void load();
    } finally {
      setBusy(false);
    }
  };

  if (!notification) {
    return (
      <section>
        <BackLink />
        {error ? <ErrorNote error={error} /> : <div class="placeholder">Loading notification {id}…</div>}
      </section>
    );
  }
  const canRetry = notification.status === "failed" || notification.status === "cancelled";
  const canCancel = notification.status === "pending";

  return (
    <section aria-labelledby="detail-title">
      <BackLink />
      <div class="section-head">
        <h1 id="detail-title">
          Notification {notification.id} <StatusBadge status={notification.status} />
        </h1>
        <div class="actions">
          {canRetry ? (
            <button type="button" class="primary" disabled={busy} onClick={() => act("retry")}>
              Retry now
            </button>
          ) : null}
          {canCancel ? (
            <button type="button" class="danger" disabled={busy} onClick={() => act("cancel")}>
              Cancel
            </button>
          ) : null}
        </div>
      </div>
      <ErrorNote error={actionError ?? error} />
      <div class="detail-grid">
        <div class="card">
          <h2>Message</h2>
          {notification.rendered ? (
            <>
              <p class="muted">
                From template{" "}
                <a href={`#/templates/${encodeURIComponent(notification.template ?? "")}`}>
                  {notification.template}
                </a>
                , locale {notification.locale}
              </p>
              <RenderedBodies notification={notification} />
            </>
          ) : (
            <>
              {notification.subject ? <p class="subject-line">{notification.subject}</p> : null}
              <pre class="message-body">{notification.message}</pre>
            </>
          )}
        </div>
        <div class="card">
          <h2>Recipient</h2>
          <dl class="facts">
            <dt>User</dt>
            <dd>
              <a href={`#/users/${notification.user}`}>#{notification.user}</a>
              {user && (user.first_name || user.last_name) ? ` ${user.first_name} ${user.last_name}` : ""}
            </dd>
            <dt>Email</dt>
            <dd>{user?.email ?? "—"}</dd>
            <dt>Phone</dt>
            <dd>{user?.phone_number ?? "—"}</dd>
            <dt>Telegram</dt>
            <dd>{user?.telegram_id ?? "—"}</dd>
            <dt>Time zone</dt>
            <dd>
              {user?.timezone ?? "—"}
              {user?.timezone && user.quiet_hours
                ? ` · quiet ${user.quiet_hours.start}–${user.quiet_hours.end}`
                : ""}
            </dd>
          </dl>
        </div>
        <div class="card">
          <h2>Delivery</h2>
          <dl class="facts">
            <dt>Channels</dt>
            <dd title={notification.channels ? undefined : "CHANNEL_ORDER"}>
              {notification.channels ? notification.channels.map(channelName).join(" → ") : "Default order"}
            </dd>
            <dt>Created</dt>
            <dd>{fullTime(notification.created_at)}</dd>
            <dt>Sent</dt>
            <dd>
              {notification.sent_at
                ? `${fullTime(notification.sent_at)} by ${channelName(notification.last_channel)}`
                : "—"}
            </dd>
            {notification.delivery ? (
              <>
                <dt>Delivery</dt>
                <dd class="delivery-summary">
                  <DeliveryBadge delivery={notification.delivery} />
                  {notification.delivered_at ? ` ${fullTime(notification.delivered_at)}` : ""}
                  {notification.status === "pending" && notification.delivery === "accepted"
                    ? ` · waiting for the receipt until ${fullTime(notification.next_attempt_at)}, then the next channel`
                    : ""}
                </dd>
              </>
            ) : null}
            <dt>Retries</dt>
            <dd>{notification.retry_count}</dd>
            {notification.category ? (
              <>
                <dt>Category</dt>
                <dd>{notification.category}</dd>
              </>
            ) : null}
            {notification.metadata ? (
              <>
                <dt>Metadata</dt>
                <dd class="metadata">
                  {Object.entries(notification.metadata).map(([key, value]) => (
                    <span key={key}>
                      <code>{key}</code> {value}{" "}
                    </span>
                  ))}
                </dd>
              </>
            ) : null}
            {notification.priority === "critical" ? (
              <>
                <dt>Priority</dt>
                <dd>Critical: goes through quiet hours</dd>
              </>
            ) : null}
            {notification.expires_at ? (
              <>
                <dt>Expires</dt>
                <dd>{fullTime(notification.expires_at)}</dd>
              </>
            ) : null}
            {scheduledFor(notification) ? (
              <>
                <dt>Scheduled for</dt>
                <dd class="scheduled-for">
                  <time dateTime={notification.next_attempt_at ?? ""}>
                    {fullTime(notification.next_attempt_at)}
                  </time>{" "}
                  your time
                  {user?.timezone
                    ? ` · ${timeIn(notification.next_attempt_at ?? "", user.timezone)} the user's`
                    : ""}
                </dd>
              </>
            ) : notification.next_attempt_at ? (
              <>
                <dt>Next round</dt>
                <dd>
                  <time dateTime={notification.next_attempt_at}>
                    {relative(notification.next_attempt_at)}
                  </time>
                </dd>
              </>
            ) : null}
            {notification.failure_reason ? (
              <>
                <dt>{notification.status === "expired" ? "Why it expired" : "Why it failed"}</dt>
                <dd class="failure">{notification.failure_reason}</dd>
              </>
            ) : null}
          </dl>
        </div>
      </div>
      <Timeline notification={notification} />
    </section>
  );
}

function RenderedBodies({ notification }: { notification: Notification }) {
  const rendered = notification.rendered ?? {};
  return (
    <>
      {rendered.sms ? (
        <div class="rendered-body" data-channel="sms">
          <h3>SMS</h3>
          <pre class="message-body">{rendered.sms.text}</pre>
        </div>
      ) : null}
      {rendered.email ? (
        <div class="rendered-body" data-channel="email">
          <h3>Email{rendered.email.html ? " (text; an HTML version was sent too)" : ""}</h3>
          {rendered.email.subject ? <p class="subject-line">{rendered.email.subject}</p> : null}
          <pre class="message-body">{rendered.email.text}</pre>
        </div>
      ) : null}
      {rendered.telegram ? (
        <div class="rendered-body" data-channel="telegram">
          <h3>Telegram{rendered.telegram.parse_mode ? ` (${rendered.telegram.parse_mode})` : ""}</h3>
          <pre class="message-body">{rendered.telegram.text}</pre>
        </div>
      ) : null}
    </>
  );
}

function BackLink() {
  return (
    <p class="back">
      <a href="#/">← All notifications</a>
    </p>
  );
}

const OUTCOME_TEXT: Record<string, string> = {
  transient: "temporary failure",
  rate_limited: "rate limited",
  permanent: "permanent failure",
  misconfigured: "configuration error",
  no_contact: "no address",
  not_configured: "not configured",
  circuit_open: "channel paused",
  no_template_body: "no template body",
};

function Timeline({ notification }: { notification: Notification }) {
  const rounds = new Map<number, Attempt[]>();
  for (const attempt of notification.attempts) {
    rounds.set(attempt.round, [...(rounds.get(attempt.round) ?? []), attempt]);
  }
  return (
    <div class="card timeline-card">
      <h2>Attempts</h2>
      {rounds.size === 0 ? (
        <p class="muted">
          {notification.status === "pending"
            ? "No attempt yet: a worker will pick it up shortly."
            : "No attempt was made."}
        </p>
      ) : (
        <ol class="timeline">
          {[...rounds].map(([round, attempts]) => (
            <li key={round} class="round">
              <p class="round-title">
                Round {round}
                {round === notification.history_from_round && round > 1 ? (
                  <span class="tag">retried by hand: a fresh start</span>
                ) : null}
              </p>
              <ol class="attempts">
                {attempts.map((attempt) => (
                  <AttemptItem key={`${attempt.channel}-${attempt.started_at}`} attempt={attempt} />
                ))}
              </ol>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

const RECEIPT_STATE_TEXT: Record<string, string> = {
  in_transit: "in transit",
  delivered: "delivered",
  undelivered: "not delivered",
};

/** Accepted, then each report the provider gave, then where it ended. */
function ReceiptTimeline({ attempt }: { attempt: Attempt }) {
  return (
    <div class="receipt-timeline" data-delivery={attempt.delivery ?? ""}>
      <DeliveryBadge delivery={attempt.delivery ?? "accepted"} />
      <ol class="receipts">
        <li>
          <time dateTime={attempt.finished_at ?? ""}>{fullTime(attempt.finished_at)}</time> accepted by the
          provider
        </li>
        {attempt.receipts.map((receipt) => (
          <li key={`${receipt.at}-${receipt.code}`} data-receipt-state={receipt.state}>
            <time dateTime={receipt.at}>{fullTime(receipt.at)}</time>{" "}
            {RECEIPT_STATE_TEXT[receipt.state] ?? receipt.state}
            {receipt.code ? <span class="tag">code {receipt.code}</span> : null}
            {receipt.text ? <span class="muted"> {receipt.text}</span> : null}
          </li>
        ))}
        {attempt.delivery === "unknown" ? (
          <li class="muted">no final receipt came; no longer asked about</li>
        ) : null}
        {attempt.delivery === "accepted" && attempt.channel === "email" ? (
          <li class="muted">the mail server accepted it; email gives no delivery receipts</li>
        ) : null}
      </ol>
    </div>
  );
}

function AttemptItem({ attempt }: { attempt: Attempt }) {
  return (
    <li class={`attempt attempt-${attempt.status}`} data-channel={attempt.channel} data-round={attempt.round}>
      <div class="attempt-head">
        <span class="attempt-channel">{channelName(attempt.channel)}</span>
        <StatusBadge status={attempt.status} />
        {attempt.error_kind ? (
          <span class="tag">{OUTCOME_TEXT[attempt.error_kind] ?? attempt.error_kind}</span>
        ) : null}
        {attempt.provider_code ? <span class="tag">code {attempt.provider_code}</span> : null}
        <span class="attempt-time muted">
          <time dateTime={attempt.started_at} title={fullTime(attempt.started_at)}>
            {fullTime(attempt.started_at)}
          </time>{" "}
          · {attempt.status === "skipped" ? "not sent" : duration(attempt.started_at, attempt.finished_at)}
        </span>
      </div>
      {attempt.error ? <p class="attempt-reason">{attempt.error}</p> : null}
      {attempt.provider_message_id ? (
        <p class="attempt-reason muted">
          Provider's id: <code>{attempt.provider_message_id}</code>
        </p>
      ) : null}
      {attempt.delivery ? <ReceiptTimeline attempt={attempt} /> : null}
    </li>
  );
}
