import { useCallback, useEffect, useState } from "preact/hooks";
import type { Api, ChannelOverview, ChannelSummary, Suppression } from "../api.js";
import { ErrorNote, useLiveReload } from "../components.js";
import { channelName, fullTime, relative } from "../format.js";
import type { LiveFeed } from "../live.js";
import { changesChannelActivity } from "../live-events.js";

export function ChannelsView(props: { api: Api; live: LiveFeed }) {
  const [overview, setOverview] = useState<ChannelOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setOverview(await props.api.channels());
      setError(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, [props.api]);
  useEffect(() => {
    void load();
    // The last hour moves on even when nothing happens.
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, [load]);
  useLiveReload(props.live, changesChannelActivity, load, 2_000);

  return (
    <section aria-labelledby="channels-title">
      <div class="section-head">
        <h1 id="channels-title">Channels</h1>
        <span class="muted">
          Last hour · failure reasons from the last {overview?.failure_sample ?? 100} failures
        </span>
      </div>
      <ErrorNote error={error} />
      {overview ? (
        <div class="channel-grid">
          {overview.channels.map((summary) => (
            <ChannelCard key={summary.channel} summary={summary} />
          ))}
        </div>
      ) : (
        <div class="placeholder">Loading channels…</div>
      )}
    </section>
  );
}

function ChannelCard({ summary }: { summary: ChannelSummary }) {
  const state = !summary.configured ? "off" : summary.paused_reason ? "paused" : "on";
  const stateText = { off: "Not configured", paused: "Paused", on: "Configured" }[state];
  return (
    <article class={`card channel channel-${state}`} aria-labelledby={`channel-${summary.channel}`}>
      <header class="channel-head">
        <h2 id={`channel-${summary.channel}`}>{channelName(summary.channel)}</h2>
        <span class={`badge badge-channel-${state}`}>{stateText}</span>
      </header>
      <p class="muted channel-order">
        {summary.order_position
          ? `Position ${summary.order_position} in CHANNEL_ORDER`
          : "Not in CHANNEL_ORDER"}
      </p>
      {summary.not_configured_reason ? <p class="note">{summary.not_configured_reason}</p> : null}
      {summary.paused_reason ? <p class="note note-error">Paused: {summary.paused_reason}</p> : null}
      {summary.fallback_address ? (
        <FallbackAddress channel={summary.channel} {...summary.fallback_address} />
      ) : null}
      <dl class="stats">
        <div>
          <dt>Sent</dt>
          <dd class="stat-sent">{summary.last_hour.sent}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd class={summary.last_hour.failed > 0 ? "stat-failed nonzero" : "stat-failed"}>
            {summary.last_hour.failed}
          </dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{summary.last_hour.skipped}</dd>
        </div>
      </dl>
      <p class="last-success">
        Last success:{" "}
        {summary.last_success_at ? (
          <time dateTime={summary.last_success_at} title={fullTime(summary.last_success_at)}>
            {relative(summary.last_success_at)}
          </time>
        ) : (
          "never"
        )}
      </p>
      <h3>Common failures</h3>
      {summary.common_failures.length === 0 ? (
        <p class="muted">None recently.</p>
      ) : (
        <ol class="reasons">
          {summary.common_failures.map((failure) => (
            <li key={`${failure.provider_code}-${failure.reason}`}>
              <span class="reason-count">{failure.count}×</span>
              <span class="reason-text">
                {failure.reason || "(no reason given)"}
                <span class="muted">
                  {" "}
                  {[failure.error_kind, failure.provider_code ? `code ${failure.provider_code}` : null]
                    .filter(Boolean)
                    .join(", ")}
                  {" · "}
                  {relative(failure.last_seen_at)}
                </span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}

/**
 * The fallback chat users without their own are sent to. Suppressed, it silently skips all of
 * them (the card only counts them as skipped), so it says so, and how to lift it.
 */
function FallbackAddress(props: { channel: string; address: string; suppression: Suppression | null }) {
  const { address, suppression } = props;
  const name = props.channel === "telegram" ? "TELEGRAM_CHAT_ID" : "fallback address";
  if (!suppression) {
    return (
      <p class="muted fallback-address">
        Users without their own chat go to {name} <code>{address}</code>.
      </p>
    );
  }
  return (
    <p class="note note-error fallback-address" data-fallback-suppressed={address}>
      The fallback chat {name} <code>{address}</code> is suppressed ({suppression.reason},{" "}
      {suppression.source},{" "}
      <time dateTime={suppression.created_at} title={fullTime(suppression.created_at)}>
        {relative(suppression.created_at)}
      </time>
      ): users without their own chat are skipped on {channelName(props.channel)}. Once the bot can post there
      again, lift it with <b>Remove</b> on the <a href="#/suppressions">Suppressions</a> page (or{" "}
      <code>DELETE /api/suppressions/{suppression.id}/</code>).
    </p>
  );
}
