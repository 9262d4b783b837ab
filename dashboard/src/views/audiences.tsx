import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import {
  type Api,
  ApiError,
  CHANNELS,
  type Channel,
  type ChannelSummary,
  type Page,
  type Preferences,
  type Suppression,
  type User,
} from "../api.js";
import { Empty, ErrorNote, PageLinks, useLiveReload } from "../components.js";
import { channelName, fullTime, shortTime } from "../format.js";
import type { LiveFeed } from "../live.js";
import { changesSuppressions, changesUser, erasesUser } from "../live-events.js";
import { replaceQuery } from "../router.js";
import { ConnectTelegram, EraseUser } from "./users.js";

/**
 * One user: profile, the channels they turned off, a Telegram connect link, the suppressions of
 * their addresses, and erasing them. Live: reloads when the user changes anywhere (a chat
 * connected through a connect link shows up as the person presses Start), and says so when they
 * are erased elsewhere.
 */
export function UserView(props: { api: Api; live: LiveFeed; id: number }) {
  const { api, live, id } = props;
  const [user, setUser] = useState<User | null>(null);
  const [preferences, setPreferences] = useState<Preferences | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [erased, setErased] = useState(false);
  // Read by loads already under way: nothing of an erased user is shown again.
  const gone = useRef(false);

  const load = useCallback(async () => {
    const [profile, channels] = await Promise.allSettled([api.user(id), api.preferences(id)]);
    if (gone.current) return;
    if (profile.status === "fulfilled") setUser(profile.value);
    if (channels.status === "fulfilled") setPreferences(channels.value);
    const failure: unknown = [profile, channels].find(
      (result): result is PromiseRejectedResult => result.status === "rejected",
    )?.reason;
    setError(
      failure === undefined
        ? null
        : failure instanceof ApiError && failure.status === 404
          ? `User #${id} does not exist: erased, or never created.`
          : (failure as Error).message,
    );
  }, [api, id]);
  useEffect(() => {
    void load();
  }, [load]);
  useLiveReload(live, (event) => changesUser(event, id), load, 150);
  useEffect(
    () =>
      live.subscribe((event) => {
        if (!erasesUser(event, id)) return;
        gone.current = true;
        setErased(true);
        setUser(null);
        setPreferences(null);
        setError(null);
      }),
    [live, id],
  );
  const [fallbacks] = useFallbackAddresses(api);
  // Their own addresses are listed below; without a chat of their own, the fallback chat is theirs.
  const suppressedFallback =
    user && user.telegram_id === null
      ? fallbacks?.find((fallback) => fallback.channel === "telegram")
      : undefined;

  const name = user ? `${user.first_name} ${user.last_name}`.trim() : "";
  return (
    <section aria-labelledby="user-title">
      <div class="section-head">
        <h1 id="user-title">
          User #{id}
          {name ? ` · ${name}` : ""}
        </h1>
        <a href={`#/?user=${id}`}>Their notifications</a>
      </div>
      {erased ? (
        <p class="note" role="status" data-erased={id}>
          User #{id} was erased, with their notifications.
        </p>
      ) : null}
      <ErrorNote error={error} />
      <div class="user-grid">
        <div class="card">
          <h2>Profile</h2>
          <dl class="facts" data-profile>
            <dt>Email</dt>
            <dd>{user?.email ?? "—"}</dd>
            <dt>Name</dt>
            <dd>{name || "—"}</dd>
            <dt>Phone</dt>
            <dd>{user?.phone_number ?? "—"}</dd>
            <dt>Telegram</dt>
            <dd>{user?.telegram_id ?? "—"}</dd>
            <dt>Locale</dt>
            <dd>{user?.locale ?? "—"}</dd>
            <dt>Time zone</dt>
            <dd>{user?.timezone ?? "—"}</dd>
            <dt>Quiet hours</dt>
            <dd>{user?.quiet_hours ? `${user.quiet_hours.start}–${user.quiet_hours.end}` : "—"}</dd>
          </dl>
        </div>
        <section class="card" aria-labelledby="preferences-title">
          <h2 id="preferences-title">Preferences</h2>
          {preferences === null ? null : (
            <PreferencesEditor
              preferences={preferences}
              onSave={(changed) =>
                api.savePreferences(id, changed).then((saved) => {
                  setPreferences(saved);
                  setError(null);
                })
              }
            />
          )}
        </section>
      </div>
      {user ? <ConnectTelegram api={api} user={user} /> : null}
      <h2>Suppressed addresses</h2>
      {suppressedFallback ? (
        <p class="note note-error" data-fallback-suppressed={suppressedFallback.address}>
          This user has no telegram_id: Telegram goes to the fallback chat TELEGRAM_CHAT_ID{" "}
          <code>{suppressedFallback.address}</code>, which is suppressed, so Telegram is skipped for them. It
          is lifted on the <a href="#/suppressions">Suppressions</a> page.
        </p>
      ) : null}
      <SuppressionTable api={api} live={live} user={id} />
      {user ? <EraseUser api={api} user={user} /> : null}
    </section>
  );
}

/** The channels turned off, everywhere and per category, as checkboxes saved together (PUT). */
function PreferencesEditor(props: {
  preferences: Preferences;
  onSave: (changed: Preferences) => Promise<void>;
}) {
  const [draft, setDraft] = useState<Preferences>(props.preferences);
  // Changed and not saved yet: a live reload of the page must not throw the changes away.
  const [dirty, setDirty] = useState(false);
  const [newCategory, setNewCategory] = useState("");
  const [status, setStatus] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!dirty) setDraft(props.preferences);
  }, [props.preferences, dirty]);

  const categories = Object.keys(draft.categories).sort();
  const rows: [string | null, Preferences["channels"]][] = [
    [null, draft.channels],
    ...categories.map((category): [string, Preferences["channels"]] => [
      category,
      draft.categories[category]!,
    ]),
  ];
  const toggle = (category: string | null, channel: Channel, allowed: boolean) => {
    setStatus(null);
    setDirty(true);
    setDraft((current) => {
      const switches = { ...(category === null ? current.channels : current.categories[category]) };
      if (allowed) delete switches[channel];
      else switches[channel] = false;
      return category === null
        ? { ...current, channels: switches }
        : { ...current, categories: { ...current.categories, [category]: switches } };
    });
  };
  const addCategory = (event: Event) => {
    event.preventDefault();
    const name = newCategory.trim();
    if (!name || draft.categories[name]) return;
    setDirty(true);
    setDraft((current) => ({ ...current, categories: { ...current.categories, [name]: {} } }));
    setNewCategory("");
  };
  const save = () =>
    props.onSave(draft).then(
      () => {
        setDirty(false);
        setProblem(null);
        setStatus("Preferences saved.");
      },
      (failure: unknown) => setProblem((failure as Error).message),
    );

  return (
    <>
      <table class="table preferences">
        <thead>
          <tr>
            <th scope="col">Category</th>
            {CHANNELS.map((channel) => (
              <th scope="col" key={channel}>
                {channelName(channel)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([category, switches]) => {
            const label = category ?? "All notifications";
            return (
              <tr key={label} data-category={label}>
                <th scope="row">{label}</th>
                {CHANNELS.map((channel) => (
                  <td key={channel} data-channel={channel}>
                    <label>
                      <input
                        type="checkbox"
                        checked={switches[channel] !== false}
                        aria-label={`${channelName(channel)} for ${label}`}
                        onChange={(event) => toggle(category, channel, event.currentTarget.checked)}
                      />{" "}
                      {switches[channel] === false ? "Off" : "On"}
                    </label>
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      <form class="actions" onSubmit={addCategory}>
        <input
          type="text"
          placeholder="category, e.g. marketing"
          aria-label="New category"
          value={newCategory}
          onInput={(event) => setNewCategory(event.currentTarget.value)}
        />
        <button type="submit">Add category</button>
        <button type="button" onClick={save}>
          Save preferences
        </button>
      </form>
      <ErrorNote error={problem} />
      {status ? <p role="status">{status}</p> : null}
    </>
  );
}

/** Every suppressed address, newest first, with why and what proved it. */
export function SuppressionsView(props: { api: Api; live: LiveFeed; query: URLSearchParams }) {
  const pageNumber = Math.max(1, Number(props.query.get("page")) || 1);
  const [fallbacks, reloadFallbacks] = useFallbackAddresses(props.api);
  useLiveReload(props.live, changesSuppressions, async () => reloadFallbacks());
  return (
    <section aria-labelledby="suppressions-title">
      <div class="section-head">
        <h1 id="suppressions-title">Suppressions</h1>
        <span class="muted">Addresses nothing is sent to, for any user who has them</span>
      </div>
      {fallbacks?.map((fallback) => (
        <p key={fallback.channel} class="note note-error" data-fallback-suppressed={fallback.address}>
          The fallback chat TELEGRAM_CHAT_ID <code>{fallback.address}</code> is suppressed (
          {fallback.suppression.reason}): every user without a telegram_id is skipped on{" "}
          {channelName(fallback.channel)}. Once the bot can post there again, <b>Remove</b> its row (id{" "}
          {fallback.suppression.id}) to lift it.
        </p>
      ))}
      <SuppressionTable
        api={props.api}
        live={props.live}
        page={pageNumber}
        fallbacks={fallbacks ?? []}
        onRemoved={reloadFallbacks}
      />
    </section>
  );
}

interface SuppressedFallback {
  channel: Channel;
  address: string;
  suppression: Suppression;
}

/**
 * The channels' fallback addresses (TELEGRAM_CHAT_ID) that are suppressed, from the channel
 * overview: a suppression lists only an address, and this one is no user's own. Null while loading.
 */
function useFallbackAddresses(api: Api): [SuppressedFallback[] | null, () => void] {
  const [fallbacks, setFallbacks] = useState<SuppressedFallback[] | null>(null);
  const load = useCallback(() => {
    api.channels().then(
      (overview) => setFallbacks(overview.channels.flatMap(suppressedFallbackOf)),
      // Only a hint: the suppressions themselves still show without it.
      () => setFallbacks([]),
    );
  }, [api]);
  useEffect(load, [load]);
  return [fallbacks, load];
}

function suppressedFallbackOf(summary: ChannelSummary): SuppressedFallback[] {
  const fallback = summary.fallback_address;
  return fallback?.suppression
    ? [{ channel: summary.channel, address: fallback.address, suppression: fallback.suppression }]
    : [];
}

function SuppressionTable(props: {
  api: Api;
  live: LiveFeed;
  user?: number;
  page?: number;
  fallbacks?: readonly SuppressedFallback[];
  onRemoved?: () => void;
}) {
  const { api, live, user, page: pageNumber = 1, fallbacks = [], onRemoved } = props;
  const [page, setPage] = useState<Page<Suppression> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(
    () =>
      api.suppressions({ ...(user === undefined ? {} : { user }), page: pageNumber }).then(
        (result) => {
          setPage(result);
          setError(null);
        },
        (failure: unknown) => setError((failure as Error).message),
      ),
    [api, user, pageNumber],
  );
  useEffect(() => {
    void load();
  }, [load]);
  // Added by a delivery, the API or the CLI elsewhere, or lifted by a connect link.
  useLiveReload(live, changesSuppressions, load);

  const remove = (suppression: Suppression) =>
    api.removeSuppression(suppression.id).then(
      () => {
        setNote(`${channelName(suppression.channel)} ${suppression.address} receives again.`);
        load();
        onRemoved?.();
      },
      (failure: unknown) => setError((failure as Error).message),
    );
  const go = (next: number) => replaceQuery("/suppressions", new URLSearchParams({ page: String(next) }));

  return (
    <>
      <ErrorNote error={error} />
      {note ? <p role="status">{note}</p> : null}
      {page === null ? (
        error ? null : (
          <div class="placeholder">Loading suppressions…</div>
        )
      ) : page.results.length === 0 ? (
        <Empty title="No suppressed addresses">
          An address is suppressed when a provider proves it dead (a blocked bot, a mailbox that does not
          exist, a wrong number), or by hand with <code>POST /api/suppressions/</code>.
        </Empty>
      ) : (
        <>
          <table class="table suppressions">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Channel</th>
                <th scope="col">Address</th>
                <th scope="col">Reason</th>
                <th scope="col">Evidence</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.results.map((suppression) => (
                <tr key={suppression.id} class="row" data-suppression={suppression.id}>
                  <td data-label="When">
                    <time dateTime={suppression.created_at} title={fullTime(suppression.created_at)}>
                      {shortTime(suppression.created_at)}
                    </time>
                  </td>
                  <td data-label="Channel">{channelName(suppression.channel)}</td>
                  <td data-label="Address">
                    {suppression.address}
                    {fallbacks.some((fallback) => fallback.suppression.id === suppression.id) ? (
                      <span class="muted"> · fallback chat (TELEGRAM_CHAT_ID)</span>
                    ) : null}
                  </td>
                  <td data-label="Reason">
                    {suppression.reason}
                    <span class="muted"> · {suppression.source}</span>
                  </td>
                  <td data-label="Evidence">
                    <Evidence evidence={suppression.evidence} />
                  </td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Remove the suppression of ${suppression.address}`}
                      onClick={() => remove(suppression)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {user === undefined ? <PageLinks page={pageNumber} answer={page} onPage={go} /> : null}
        </>
      )}
    </>
  );
}

function Evidence({ evidence }: { evidence: Record<string, unknown> | null }) {
  if (!evidence) return <span class="muted">—</span>;
  if (typeof evidence.note === "string") return <span>{evidence.note}</span>;
  const notification = typeof evidence.notification_id === "number" ? evidence.notification_id : null;
  return (
    <span>
      {evidence.provider_code ? <code>{String(evidence.provider_code)}</code> : null}{" "}
      {typeof evidence.text === "string" ? evidence.text : ""}
      {notification !== null ? (
        <>
          {" "}
          (<a href={`#/notifications/${notification}`}>notification {notification}</a>)
        </>
      ) : null}
    </span>
  );
}
