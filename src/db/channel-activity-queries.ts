import type { ChannelActivity, FailureReason } from "../core/model.js";
import type { Queryable } from "./database.js";

/** What the channel overview reads: activity per channel, and why channels have been failing. */
export class ChannelActivityQueries {
  constructor(private readonly db: Queryable) {}

  /** Attempts finished in the last `windowSeconds`, by channel and outcome, and each channel's last success. */
  async activity(channels: readonly string[], windowSeconds: number): Promise<ChannelActivity[]> {
    const { rows } = await this.db.query<{
      channel: string;
      sent: number;
      failed: number;
      skipped: number;
      last_success_at: Date | null;
    }>(
      `SELECT c.channel,
              count(*) FILTER (WHERE a.status = 'sent')::integer AS sent,
              count(*) FILTER (WHERE a.status = 'failed')::integer AS failed,
              count(*) FILTER (WHERE a.status = 'skipped')::integer AS skipped,
              (SELECT max(finished_at) FROM attempts s WHERE s.channel = c.channel AND s.status = 'sent')
                AS last_success_at
         FROM unnest($2::text[]) AS c (channel)
         LEFT JOIN attempts a
           ON a.channel = c.channel AND a.finished_at > now() - make_interval(secs => $1)
        GROUP BY c.channel`,
      [windowSeconds, channels],
    );
    return rows.map((row) => ({
      channel: row.channel,
      sent: row.sent,
      failed: row.failed,
      skipped: row.skipped,
      lastSuccessAt: row.last_success_at,
    }));
  }

  /** The most common reasons among each channel's last `sample` failed attempts, `top` per channel. */
  async commonFailureReasons(
    channels: readonly string[],
    sample: number,
    top: number,
  ): Promise<FailureReason[]> {
    const { rows } = await this.db.query<{
      channel: string;
      error_kind: string | null;
      provider_code: string | null;
      reason: string;
      count: number;
      last_seen_at: Date;
    }>(
      `SELECT channel, error_kind, provider_code, reason, count, last_seen_at FROM (
         SELECT channel, error_kind, provider_code, reason, count(*)::integer AS count,
                max(finished_at) AS last_seen_at,
                row_number() OVER (PARTITION BY channel ORDER BY count(*) DESC, max(finished_at) DESC) AS rank
           FROM (SELECT c.channel, f.error_kind, f.provider_code, COALESCE(f.error, '') AS reason, f.finished_at
                   FROM unnest($3::text[]) AS c (channel)
                   CROSS JOIN LATERAL (
                     SELECT error_kind, provider_code, error, finished_at FROM attempts
                      WHERE channel = c.channel AND status = 'failed'
                      ORDER BY id DESC LIMIT $1) f) recent
          GROUP BY channel, error_kind, provider_code, reason) ranked
        WHERE rank <= $2
        ORDER BY channel, rank`,
      [sample, top, channels],
    );
    return rows.map((row) => ({
      channel: row.channel,
      errorKind: row.error_kind,
      providerCode: row.provider_code,
      reason: row.reason,
      count: row.count,
      lastSeenAt: row.last_seen_at,
    }));
  }
}
