/**
 * PostgreSQL statements for webhooks: endpoints, events and their deliveries, and the
 * lease-guarded statements a worker runs. A pending delivery whose next_attempt_at has come and
 * that no live worker holds is the job, claimed like notifications (FOR UPDATE SKIP LOCKED).
 */
import type { ListedPage, PageWindow } from "../core/model.js";
import type { Queryable } from "../db/database.js";
import { listedPage } from "../db/listed-page.js";
import type {
  ClaimedWebhookDelivery,
  NewWebhookEndpoint,
  WebhookAttemptRecord,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointChanges,
  WebhookStore,
} from "./webhook-model.js";

interface EndpointRow {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  failing_since: Date | null;
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempt_count: number;
  next_attempt_at: Date | null;
  created_at: Date;
  finished_at: Date | null;
  attempts: {
    attempted_at: string;
    response_status: number | null;
    response_body: string | null;
    error: string | null;
    duration_ms: number;
  }[];
}

const ENDPOINT_COLUMNS =
  "id, url, description, events, enabled, failing_since, disabled_reason, created_at, updated_at";

const DELIVERY_SELECT = `
  SELECT d.id, d.endpoint_id, d.event_id, e.type AS event_type, d.status, d.attempt_count, d.next_attempt_at,
    d.created_at, d.finished_at,
    COALESCE((SELECT json_agg(json_build_object('attempted_at', a.attempted_at, 'response_status', a.response_status,
        'response_body', a.response_body, 'error', a.error, 'duration_ms', a.duration_ms) ORDER BY a.id)
      FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempts
  FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id`;

const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  id: Number(row.id),
  url: row.url,
  description: row.description,
  events: row.events,
  enabled: row.enabled,
  failingSince: row.failing_since,
  disabledReason: row.disabled_reason,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: Number(row.id),
  endpointId: Number(row.endpoint_id),
  eventId: row.event_id,
  eventType: row.event_type,
  status: row.status,
  attemptCount: row.attempt_count,
  nextAttemptAt: row.status === "pending" ? row.next_attempt_at : null,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
  attempts: row.attempts.map((attempt) => ({
    attemptedAt: new Date(attempt.attempted_at),
    responseStatus: attempt.response_status,
    responseBody: attempt.response_body,
    error: attempt.error,
    durationMs: attempt.duration_ms,
  })),
});

export class WebhooksRepository implements WebhookStore {
  constructor(private readonly db: Queryable) {}

  async createEndpoint(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    const { rows } = await this.db.query<EndpointRow>(
      `INSERT INTO webhook_endpoints (url, description, events, enabled, secret)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${ENDPOINT_COLUMNS}`,
      [endpoint.url, endpoint.description, endpoint.events, endpoint.enabled, endpoint.secret],
    );
    return toEndpoint(rows[0] as EndpointRow);
  }

  async listEndpoints(page: { limit: number; offset: number }) {
    const [count, found] = await Promise.all([
      this.db.query<{ count: number }>("SELECT count(*)::integer AS count FROM webhook_endpoints"),
      this.db.query<EndpointRow>(
        `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY id LIMIT $1 OFFSET $2`,
        [page.limit, page.offset],
      ),
    ]);
    return { count: count.rows[0]?.count ?? 0, results: found.rows.map(toEndpoint) };
  }

  async findEndpoint(id: number): Promise<WebhookEndpoint | null> {
    const { rows } = await this.db.query<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1`,
      [id],
    );
    return rows[0] ? toEndpoint(rows[0]) : null;
  }

  async updateEndpoint(id: number, changes: WebhookEndpointChanges): Promise<WebhookEndpoint | null> {
    // Enabling an endpoint by hand forgets why it was disabled and how long it had been failing.
    const { rows } = await this.db.query<EndpointRow>(
      `UPDATE webhook_endpoints SET
         url = COALESCE($2, url), description = COALESCE($3, description), events = COALESCE($4, events),
         enabled = COALESCE($5, enabled),
         disabled_reason = CASE WHEN $5 IS NULL THEN disabled_reason ELSE NULL END,
         failing_since = CASE WHEN $5 THEN NULL ELSE failing_since END,
         updated_at = now()
       WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, changes.url ?? null, changes.description ?? null, changes.events ?? null, changes.enabled ?? null],
    );
    return rows[0] ? toEndpoint(rows[0]) : null;
  }

  async deleteEndpoint(id: number): Promise<boolean> {
    const { rowCount } = await this.db.query("DELETE FROM webhook_endpoints WHERE id = $1", [id]);
    return rowCount === 1;
  }

  async rotateSecret(id: number, secret: string, overlapSeconds: number): Promise<WebhookEndpoint | null> {
    const { rows } = await this.db.query<EndpointRow>(
      `UPDATE webhook_endpoints SET previous_secret = secret,
         previous_secret_expires_at = now() + make_interval(secs => $3), secret = $2, updated_at = now()
       WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, secret, overlapSeconds],
    );
    return rows[0] ? toEndpoint(rows[0]) : null;
  }

  async subscribedEventTypes(): Promise<string[]> {
    const { rows } = await this.db.query<{ type: string }>(
      "SELECT DISTINCT unnest(events) AS type FROM webhook_endpoints WHERE enabled",
    );
    return rows.map((row) => row.type);
  }

  async recordEvent(event: {
    id: string;
    type: string;
    notificationId: number | null;
    userId?: number | null;
    payload: object;
  }): Promise<number> {
    const { rows } = await this.db.query<{ count: number }>(
      `WITH endpoints AS (
         SELECT id FROM webhook_endpoints WHERE enabled AND ('*' = ANY(events) OR $2 = ANY(events))),
       sequence AS (
         SELECT COALESCE(max(sequence), 0) + 1 AS n FROM webhook_events
         WHERE ($3::bigint IS NOT NULL AND notification_id = $3::bigint)
            OR ($5::bigint IS NOT NULL AND user_id = $5::bigint)),
       event AS (
         INSERT INTO webhook_events (id, type, notification_id, user_id, sequence, payload)
         SELECT $1, $2, $3, $5, sequence.n, jsonb_set($4::jsonb, '{data,sequence}', to_jsonb(sequence.n))
         FROM sequence WHERE EXISTS (SELECT 1 FROM endpoints)
           -- An event waits for an erasure of its user under way (which holds their row FOR
           -- UPDATE) and is then not stored; one stored first is seen, and deleted, by the
           -- erasure's DELETE. A notification's event takes its user from the notification.
           -- Events about neither (an address suppressed) have no user to wait for.
           AND (($3::bigint IS NULL AND $5::bigint IS NULL) OR EXISTS (SELECT 1 FROM users
                 WHERE id = COALESCE($5::bigint, (SELECT user_id FROM notifications WHERE id = $3::bigint))
                 FOR KEY SHARE))
         RETURNING id),
       deliveries AS (
         INSERT INTO webhook_deliveries (event_id, endpoint_id, next_attempt_at)
         SELECT event.id, endpoints.id, now() FROM event CROSS JOIN endpoints ORDER BY endpoints.id
         RETURNING id)
       SELECT count(*)::integer AS count FROM deliveries`,
      [event.id, event.type, event.notificationId, JSON.stringify(event.payload), event.userId ?? null],
    );
    return rows[0]?.count ?? 0;
  }

  /** Like recordEvent for many events of one type (of different notifications), in one statement. */
  async recordEvents(
    type: string,
    events: { id: string; notificationId: number; payload: object }[],
  ): Promise<number> {
    if (events.length === 0) return 0;
    const { rows } = await this.db.query<{ count: number }>(
      `WITH endpoints AS (
         SELECT id FROM webhook_endpoints WHERE enabled AND ('*' = ANY(events) OR $1 = ANY(events))),
       given AS (
         SELECT g.id, g.notification_id, g.payload::jsonb AS payload
         FROM unnest($2::text[], $3::bigint[], $4::text[]) AS g(id, notification_id, payload)),
       event AS (
         INSERT INTO webhook_events (id, type, notification_id, sequence, payload)
         SELECT given.id, $1, given.notification_id, sequence.n,
                jsonb_set(given.payload, '{data,sequence}', to_jsonb(sequence.n))
         FROM given CROSS JOIN LATERAL (
           SELECT COALESCE(max(e.sequence), 0) + 1 AS n FROM webhook_events e
           WHERE e.notification_id = given.notification_id) sequence
         WHERE EXISTS (SELECT 1 FROM endpoints)
           -- As in recordEvent: never stored after an erasure of the notification's user.
           AND EXISTS (SELECT 1 FROM users
                       WHERE id = (SELECT user_id FROM notifications WHERE id = given.notification_id)
                       FOR KEY SHARE)
         RETURNING id),
       deliveries AS (
         INSERT INTO webhook_deliveries (event_id, endpoint_id, next_attempt_at)
         SELECT event.id, endpoints.id, now() FROM event CROSS JOIN endpoints ORDER BY event.id, endpoints.id
         RETURNING id)
       SELECT count(*)::integer AS count FROM deliveries`,
      [
        type,
        events.map((event) => event.id),
        events.map((event) => event.notificationId),
        events.map((event) => JSON.stringify(event.payload)),
      ],
    );
    return rows[0]?.count ?? 0;
  }

  async recordEventFor(
    endpointId: number,
    event: { id: string; type: string; payload: object },
  ): Promise<WebhookDelivery | null> {
    const { rows } = await this.db.query<{ id: string }>(
      `WITH endpoint AS (SELECT id FROM webhook_endpoints WHERE id = $1),
       event AS (
         INSERT INTO webhook_events (id, type, payload)
         SELECT $2, $3, $4::jsonb WHERE EXISTS (SELECT 1 FROM endpoint) RETURNING id)
       INSERT INTO webhook_deliveries (event_id, endpoint_id, next_attempt_at)
       SELECT event.id, endpoint.id, now() FROM event CROSS JOIN endpoint RETURNING id`,
      [endpointId, event.id, event.type, JSON.stringify(event.payload)],
    );
    return rows[0] ? this.findDelivery(Number(rows[0].id)) : null;
  }

  private async findDelivery(id: number): Promise<WebhookDelivery | null> {
    const { rows } = await this.db.query<DeliveryRow>(`${DELIVERY_SELECT} WHERE d.id = $1`, [id]);
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async listDeliveries(endpointId: number, page: PageWindow): Promise<ListedPage<WebhookDelivery>> {
    const before = page.beforeId === undefined ? "" : " AND d.id < $2";
    return listedPage(
      this.db,
      {
        select: `${DELIVERY_SELECT} WHERE d.endpoint_id = $1${before}`,
        fromWhere: `FROM webhook_deliveries d WHERE d.endpoint_id = $1${before}`,
        values: page.beforeId === undefined ? [endpointId] : [endpointId, page.beforeId],
        orderBy: "d.id DESC",
      },
      page,
      toDelivery,
    );
  }

  async replayDelivery(endpointId: number, deliveryId: number): Promise<WebhookDelivery | null> {
    const { rowCount } = await this.db.query(
      `UPDATE webhook_deliveries
         SET status = 'pending', attempt_count = 0, next_attempt_at = now(), finished_at = NULL
       WHERE id = $1 AND endpoint_id = $2 AND (lease_expires_at IS NULL OR lease_expires_at < now())`,
      [deliveryId, endpointId],
    );
    return rowCount === 1 ? this.findDelivery(deliveryId) : null;
  }

  async claimDue(owner: string, leaseSeconds: number, limit: number) {
    const { rows } = await this.db.query<{
      id: string | null;
      attempt_count: number;
      event_id: string;
      payload: object;
      endpoint_id: string;
      url: string;
      enabled: boolean;
      secret: string;
      previous_secret: string | null;
      next_due_in_seconds: number | null;
    }>(
      `WITH claimable AS (
         SELECT id FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= now()
           AND (lease_expires_at IS NULL OR lease_expires_at < now())
         ORDER BY next_attempt_at, id
         LIMIT $3
         FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE webhook_deliveries d
           SET lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2)
         FROM claimable c WHERE d.id = c.id
         RETURNING d.id, d.event_id, d.endpoint_id, d.attempt_count)
       SELECT claimed.id, claimed.attempt_count, e.id AS event_id, e.payload, ep.id AS endpoint_id, ep.url,
         ep.enabled, ep.secret,
         CASE WHEN ep.previous_secret_expires_at > now() THEN ep.previous_secret END AS previous_secret,
         next_due.next_due_in_seconds
       FROM (SELECT extract(epoch FROM min(next_attempt_at) - now())::float8 AS next_due_in_seconds
               FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at > now()) next_due
       LEFT JOIN (claimed JOIN webhook_events e ON e.id = claimed.event_id
                  JOIN webhook_endpoints ep ON ep.id = claimed.endpoint_id) ON true
       ORDER BY claimed.id`,
      [owner, leaseSeconds, limit],
    );
    const items: ClaimedWebhookDelivery[] = [];
    for (const row of rows) {
      if (row.id === null) continue;
      items.push({
        id: Number(row.id),
        attemptCount: row.attempt_count,
        eventId: row.event_id,
        body: JSON.stringify(row.payload),
        endpointId: Number(row.endpoint_id),
        url: row.url,
        enabled: row.enabled,
        secrets: row.previous_secret ? [row.secret, row.previous_secret] : [row.secret],
      });
    }
    return { items, nextDueInSeconds: rows[0]?.next_due_in_seconds ?? null };
  }

  async finishAttempt(deliveryId: number, owner: string, attempt: WebhookAttemptRecord): Promise<boolean> {
    // The attempt is recorded even when the lease was lost: the endpoint did get the request.
    const { rows } = await this.db.query<{ id: string }>(
      `WITH attempt AS (
         INSERT INTO webhook_attempts (delivery_id, response_status, response_body, error, duration_ms)
         VALUES ($1, $4, $5, $6, $7))
       UPDATE webhook_deliveries SET attempt_count = attempt_count + 1,
         status = CASE WHEN $3 = 'retry' THEN 'pending' ELSE $3 END,
         next_attempt_at = CASE WHEN $3 = 'retry' THEN now() + make_interval(secs => $8) END,
         finished_at = CASE WHEN $3 = 'retry' THEN NULL ELSE now() END,
         lease_owner = NULL, lease_expires_at = NULL
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'
       RETURNING id`,
      [
        deliveryId,
        owner,
        attempt.outcome,
        attempt.responseStatus,
        attempt.responseBody,
        attempt.error,
        attempt.durationMs,
        attempt.retryInSeconds ?? 0,
      ],
    );
    return rows.length === 1;
  }

  async markEndpointHealthy(endpointId: number): Promise<void> {
    await this.db.query(
      "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL",
      [endpointId],
    );
  }

  async markEndpointFailing(
    endpointId: number,
    disableAfterSeconds: number,
    reason: string,
  ): Promise<boolean> {
    const { rows } = await this.db.query<{ disabled: boolean }>(
      `WITH disabled AS (
         UPDATE webhook_endpoints ep SET
           failing_since = COALESCE(ep.failing_since, now()),
           enabled = CASE WHEN ep.failing_since < now() - make_interval(secs => $2) THEN false ELSE ep.enabled END,
           disabled_reason = CASE WHEN ep.enabled AND ep.failing_since < now() - make_interval(secs => $2)
             THEN $3 ELSE ep.disabled_reason END,
           updated_at = now()
         FROM (SELECT id, enabled AS was_enabled FROM webhook_endpoints WHERE id = $1) old
         WHERE ep.id = old.id
         RETURNING ep.id, old.was_enabled AND NOT ep.enabled AS disabled),
       abandoned AS (
         UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, finished_at = now()
         WHERE endpoint_id IN (SELECT id FROM disabled WHERE disabled) AND status = 'pending'
           AND (lease_expires_at IS NULL OR lease_expires_at < now()))
       SELECT disabled FROM disabled`,
      [endpointId, disableAfterSeconds, reason],
    );
    return rows[0]?.disabled === true;
  }

  async deleteFinishedEventsOlderThan(days: number, limit: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM webhook_events WHERE id IN (
         SELECT e.id FROM webhook_events e
         WHERE e.created_at < now() - make_interval(secs => $1)
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')
         LIMIT $2)`,
      [days * 86_400, limit],
    );
    return rowCount ?? 0;
  }
}
