/**
 * Receipt checks as due rows: an accepted attempt whose receipt_check_at has come is the job. One
 * worker of the deployment asks at a time, under a lease row it renews with every claim, so the
 * attempts it asks about are not written until it records what it learnt (the record sets the
 * next check or ends them). Asking twice is harmless: when a checker dies, its lease lapses and
 * another worker asks again about whatever is still due.
 */
import type { Channel } from "../core/model.js";
import { plannedEachCall, prepared, type Queryable } from "../db/database.js";
import { releaseTaskLease, taskLeaseCte } from "../db/maintenance-repository.js";

/** The row of maintenance_schedule whose holder checks receipts for the deployment. */
const RECEIPT_CHECKS_TASK = "receipt-checks";

/** An accepted attempt to ask its provider about. */
export interface ReceiptCheck {
  attemptId: number;
  notificationId: number;
  channel: Channel;
  providerMessageId: string;
  /** Checks made so far. */
  checks: number;
  /** Seconds since the provider accepted it, on the database's clock. */
  ageSeconds: number;
}

/** What one check found for one attempt. */
export interface ReceiptUpdate {
  attemptId: number;
  /** `accepted` while no final receipt has come. */
  delivery: "accepted" | "delivered" | "undelivered" | "unknown";
  /** The report this check got, if any (a failed call, or a message the provider did not list, has none). */
  report: {
    state: "in_transit" | "delivered" | "undelivered";
    code: string | null;
    text: string | null;
  } | null;
  /** For `accepted`: when to ask again. */
  nextCheckSeconds: number | null;
  /**
   * The provider posted this receipt by itself (a callback) rather than answering a check: it is
   * not counted as a check, and for `accepted` the check already planned stays as it is.
   */
  posted?: boolean;
}

/**
 * What recording changed, per attempt whose delivery became final, or that stays `accepted` with
 * a new entry in its timeline (a report whose code differs from the last one recorded).
 */
export interface RecordedReceipt {
  attemptId: number;
  notificationId: number;
  channel: Channel;
  delivery: "accepted" | "delivered" | "undelivered" | "unknown";
  /**
   * No later accepted attempt of the notification exists: this one is its delivery summary.
   * Worked out only for a final receipt (false for `accepted`), and only when `record` was asked
   * to (null otherwise): only webhooks need it, and it costs a read of the notification's attempts.
   */
  latest: boolean | null;
  /** Its notification was waiting for this receipt and is due now (never for `accepted`). */
  madeDue: boolean;
}

interface ClaimRow {
  id: number | null;
  notification_id: number | null;
  channel: string | null;
  provider_message_id: string | null;
  receipt_checks: number | null;
  age_seconds: number | null;
  next_due_in_seconds: number | null;
}

export class ReceiptsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Up to `limit` checks due within the next `earlySeconds` (made a little early so that one call
   * asks about many messages), for `holder` if it holds the checker's lease or may take it (it
   * lapsed); none for anyone else. The lease is taken or renewed for `leaseSeconds`. A check is
   * planned only on an accepted attempt, so `receipt_check_at` alone names them; naming `delivery`
   * too would let the planner read them through the callbacks' index (see migration 018).
   */
  async claimDue(
    holder: string,
    leaseSeconds: number,
    earlySeconds: number,
    limit: number,
  ): Promise<{ checks: ReceiptCheck[]; nextDueInSeconds: number | null }> {
    const { rows } = await this.db.query<ClaimRow>(
      plannedEachCall(
        `WITH ${taskLeaseCte(RECEIPT_CHECKS_TASK, "$1", "$2")},
       due AS (
         SELECT a.id, a.notification_id, a.channel, a.provider_message_id, a.receipt_checks,
           extract(epoch FROM now() - a.finished_at)::float8 AS age_seconds
         FROM attempts a
         WHERE EXISTS (SELECT 1 FROM lease) AND a.receipt_check_at <= now() + make_interval(secs => $3)
         ORDER BY a.receipt_check_at
         LIMIT $4)
       SELECT due.*, next_due.next_due_in_seconds
       FROM (SELECT extract(epoch FROM min(receipt_check_at) - now())::float8 AS next_due_in_seconds
               FROM attempts
               WHERE EXISTS (SELECT 1 FROM lease) AND receipt_check_at > now() + make_interval(secs => $3)) next_due
       LEFT JOIN due ON true`,
        [holder, leaseSeconds, earlySeconds, limit],
      ),
    );
    const checks: ReceiptCheck[] = [];
    for (const row of rows) {
      if (row.id === null || row.provider_message_id === null) continue;
      checks.push({
        attemptId: row.id,
        notificationId: row.notification_id!,
        channel: row.channel as Channel,
        providerMessageId: row.provider_message_id,
        checks: row.receipt_checks ?? 0,
        ageSeconds: row.age_seconds ?? 0,
      });
    }
    return { checks, nextDueInSeconds: rows[0]?.next_due_in_seconds ?? null };
  }

  /**
   * The attempts on `channel` still waiting for a receipt (accepted, with a check planned) whose
   * provider message id is one of `providerMessageIds`, in one statement through the partial index
   * of migration 015. A message may map to more than one attempt only if a provider reused an id;
   * each is given the receipt.
   */
  async findAwaiting(
    channel: Channel,
    providerMessageIds: readonly string[],
  ): Promise<Map<string, number[]>> {
    const found = new Map<string, number[]>();
    if (providerMessageIds.length === 0) return found;
    const { rows } = await this.db.query<{ id: number; provider_message_id: string }>(
      prepared(
        "find-attempts-awaiting-receipt",
        `SELECT id, provider_message_id FROM attempts
         WHERE provider_message_id = ANY($2::text[]) AND channel = $1
           AND delivery = 'accepted' AND receipt_check_at IS NOT NULL`,
        [channel, [...new Set(providerMessageIds)]],
      ),
    );
    for (const row of rows) {
      found.set(row.provider_message_id, [...(found.get(row.provider_message_id) ?? []), row.id]);
    }
    return found;
  }

  /** Gives the checker's lease up (a worker stopping), so another worker need not wait it out. */
  releaseLease(holder: string): Promise<void> {
    return releaseTaskLease(this.db, RECEIPT_CHECKS_TASK, holder);
  }

  /**
   * Records what the checks found, in one statement: the delivery state, the provider's latest
   * code and text, a timeline entry when the code changed, the next check or none. A notification
   * held for one of these receipts (pending, due later) is made due now, so a worker decides what
   * follows. Only attempts still `accepted` change: a final state is never overwritten.
   *
   * Returns the final receipts, and the attempts still accepted whose timeline got an entry (a
   * report with a new code); a check that learnt nothing new returns nothing. Whether the code is
   * new is asked of the row as it was before this statement (RETURNING sees only the new values,
   * a subselect the statement's snapshot), and only for a report that stays accepted, so a receipt
   * final at its first check, the common case, reads no more rows than before. Whether each final
   * receipt is its notification's latest is worked out only with `findLatest`.
   */
  async record(
    updates: ReceiptUpdate[],
    { findLatest }: { findLatest: boolean },
  ): Promise<RecordedReceipt[]> {
    if (updates.length === 0) return [];
    const { rows } = await this.db.query<{
      id: number;
      notification_id: number;
      channel: Channel;
      delivery: RecordedReceipt["delivery"];
      latest: boolean | null;
      made_due: boolean;
    }>(
      prepared(
        "record-receipts",
        `WITH r AS (
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[],
             $7::boolean[])
           AS r(attempt_id, delivery, state, code, text, next_check_seconds, posted)),
       updated AS (
         UPDATE attempts a SET
           delivery = r.delivery,
           delivered_at = CASE WHEN r.delivery = 'delivered' THEN now() ELSE a.delivered_at END,
           receipt_code = COALESCE(r.code, a.receipt_code),
           receipt_text = COALESCE(r.text, a.receipt_text),
           receipt_at = CASE WHEN r.state IS NOT NULL THEN now() ELSE a.receipt_at END,
           receipt_check_at = CASE WHEN r.delivery <> 'accepted' THEN NULL
             WHEN r.posted THEN a.receipt_check_at
             ELSE now() + make_interval(secs => r.next_check_seconds) END,
           receipt_checks = a.receipt_checks + CASE WHEN r.posted THEN 0 ELSE 1 END,
           receipt_log = CASE WHEN r.state IS NOT NULL AND r.code IS DISTINCT FROM a.receipt_code
             THEN COALESCE(a.receipt_log, '[]'::jsonb)
               || jsonb_build_array(jsonb_build_object('at', now(), 'state', r.state, 'code', r.code, 'text', r.text))
             ELSE a.receipt_log END
         FROM r WHERE a.id = r.attempt_id AND a.delivery = 'accepted'
         RETURNING a.id, a.notification_id, a.channel, a.delivery,
           CASE WHEN a.delivery = 'accepted' AND r.state IS NOT NULL
             THEN r.code IS DISTINCT FROM (SELECT b.receipt_code FROM attempts b WHERE b.id = a.id)
             ELSE false END AS new_code),
       final AS (SELECT * FROM updated WHERE delivery <> 'accepted'),
       made_due AS (
         UPDATE notifications n SET next_attempt_at = now(), updated_at = now()
         FROM final f
         WHERE n.id = f.notification_id AND n.status = 'pending' AND n.next_attempt_at > now()
         RETURNING n.id)
       SELECT f.id, f.notification_id, f.channel, f.delivery,
         CASE WHEN $8::boolean THEN NOT EXISTS (SELECT 1 FROM attempts b
           WHERE b.notification_id = f.notification_id AND b.status = 'sent' AND b.id > f.id) END AS latest,
         EXISTS (SELECT 1 FROM made_due m WHERE m.id = f.notification_id) AS made_due
       FROM final f
       UNION ALL
       SELECT u.id, u.notification_id, u.channel, u.delivery, false, false
       FROM updated u WHERE u.delivery = 'accepted' AND u.new_code`,
        [
          updates.map((update) => update.attemptId),
          updates.map((update) => update.delivery),
          updates.map((update) => update.report?.state ?? null),
          updates.map((update) => update.report?.code ?? null),
          updates.map((update) => update.report?.text ?? null),
          updates.map((update) => update.nextCheckSeconds),
          updates.map((update) => update.posted === true),
          findLatest,
        ],
      ),
    );
    return rows.map((row) => ({
      attemptId: row.id,
      notificationId: row.notification_id,
      channel: row.channel,
      delivery: row.delivery,
      latest: row.latest,
      madeDue: row.made_due,
    }));
  }
}
