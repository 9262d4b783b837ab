import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import {
  type Api,
  ApiError,
  CHANNELS,
  type ListFilters,
  type Notification,
  PAGE_SIZE,
  type Page,
  SCHEDULED,
  STATUSES,
} from "../api.js";
import { Empty, ErrorNote, Pagination, StatusBadge, useLiveReload } from "../components.js";
import { channelName, fullTime, scheduledFor, shortTime } from "../format.js";
import type { LiveFeed } from "../live.js";
import { replaceQuery } from "../router.js";

function filtersOf(query: URLSearchParams): Required<ListFilters> {
  return {
    status: query.get("status") ?? "",
    channel: query.get("channel") ?? "",
    user: query.get("user") ?? "",
    search: query.get("search") ?? "",
    broadcast: query.get("broadcast") ?? "",
    page: Math.max(1, Number(query.get("page")) || 1),
  };
}

export function NotificationList(props: { api: Api; live: LiveFeed; query: URLSearchParams }) {
  const filters = filtersOf(props.query);
  const filterKey = JSON.stringify(filters);
  const [page, setPage] = useState<Page<Notification> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  // Rows whose status changed since the last load flash once, so live changes catch the eye.
  const previous = useRef(new Map<number, string>());
  const [changed, setChanged] = useState(new Set<number>());

  // Only the newest load may show its answer: an older one (other filters, or a live reload that
  // answered late) must not replace what a newer one showed.
  const latestLoad = useRef(0);

  const load = useCallback(async () => {
    const thisLoad = ++latestLoad.current;
    setLoading(true);
    try {
      const next = await props.api.notifications(JSON.parse(filterKey) as ListFilters);
      if (thisLoad !== latestLoad.current) return;
      const flashing = new Set<number>();
      for (const notification of next.results) {
        const before = previous.current.get(notification.id);
        if (previous.current.size > 0 && before !== notification.status) flashing.add(notification.id);
      }
      previous.current = new Map(next.results.map((n) => [n.id, n.status]));
      setChanged(flashing);
      setPage(next);
      setError(null);
    } catch (failure) {
      if (thisLoad !== latestLoad.current) return;
      // Past the last page (e.g. its rows were filtered away): go back to the first.
      if (failure instanceof ApiError && failure.status === 404 && JSON.parse(filterKey).page > 1) {
        update({ page: "" });
        return;
      }
      setError((failure as Error).message);
    } finally {
      if (thisLoad === latestLoad.current) setLoading(false);
    }
  }, [props.api, filterKey]);

  useEffect(() => {
    previous.current = new Map();
    void load();
  }, [load]);

  const shown = new Set(page?.results.map((n) => n.id) ?? []);
  useLiveReload(
    props.live,
    (event) => {
      if (event.type === "created") return filters.page === 1;
      if (event.type === "updated")
        return shown.has(event.id) || filters.status !== "" || filters.channel !== "";
      return false;
    },
    load,
  );

  const update = (changes: Partial<Record<keyof ListFilters, string>>) => {
    const query = new URLSearchParams(props.query);
    for (const [key, value] of Object.entries(changes)) query.set(key, value ?? "");
    if (!("page" in changes)) query.delete("page");
    replaceQuery("/", query);
  };

  return (
    <section aria-labelledby="list-title">
      <div class="section-head">
        <h1 id="list-title">Notifications</h1>
        <span class="muted loading-hint" aria-live="polite">
          {loading ? "Updating…" : ""}
        </span>
      </div>
      <Filters filters={filters} onChange={update} />
      {filters.broadcast ? (
        <p class="muted" data-filter="broadcast">
          Only the notifications of{" "}
          <a href={`#/broadcasts?id=${filters.broadcast}`}>broadcast {filters.broadcast}</a> ·{" "}
          <button type="button" class="link-button" onClick={() => update({ broadcast: "" })}>
            show all
          </button>
        </p>
      ) : null}
      <ErrorNote error={error} />
      {page === null ? (
        <div class="placeholder" aria-busy="true">
          Loading notifications…
        </div>
      ) : page.results.length === 0 ? (
        <Empty title="No notifications match">
          {filters.status || filters.channel || filters.user || filters.search || filters.broadcast
            ? "Try other filters, or clear them."
            : "Notifications created through the API appear here as they happen."}
        </Empty>
      ) : (
        <>
          <table class="table notifications" aria-describedby="list-title">
            <thead>
              <tr>
                <th scope="col" class="col-id">
                  #
                </th>
                <th scope="col" class="col-status">
                  Status
                </th>
                <th scope="col">Message</th>
                <th scope="col" class="col-user">
                  User
                </th>
                <th scope="col" class="col-channel">
                  Channel
                </th>
                <th scope="col" class="col-rounds">
                  Rounds
                </th>
                <th scope="col" class="col-time">
                  Created
                </th>
              </tr>
            </thead>
            <tbody>
              {page.results.map((notification) => (
                <Row
                  key={notification.id}
                  notification={notification}
                  changed={changed.has(notification.id)}
                />
              ))}
            </tbody>
          </table>
          <Pagination
            page={filters.page}
            found={page}
            pageSize={PAGE_SIZE}
            onPage={(next) => update({ page: String(next) })}
          />
        </>
      )}
    </section>
  );
}

function Row({ notification, changed }: { notification: Notification; changed: boolean }) {
  const href = `#/notifications/${notification.id}`;
  return (
    <tr
      class={changed ? "row changed" : "row"}
      data-id={notification.id}
      onClick={(event) => {
        // The whole row opens the notification; the link inside stays the accessible way there.
        if (!(event.target instanceof HTMLAnchorElement)) location.hash = href;
      }}
    >
      <td class="col-id" data-label="#">
        <a href={href} aria-label={`Notification ${notification.id}`}>
          {notification.id}
        </a>
      </td>
      <td class="col-status" data-label="Status">
        <StatusBadge status={notification.status} />
      </td>
      <td class="col-message" data-label="Message">
        {notification.subject ? <strong class="subject">{notification.subject} · </strong> : null}
        <span class="message-text">{notification.message}</span>
        {(notification.status === "failed" || notification.status === "expired") &&
        notification.failure_reason ? (
          <span class="failure">{notification.failure_reason}</span>
        ) : null}
        <Scheduled notification={notification} />
      </td>
      <td class="col-user" data-label="User">
        {notification.user}
      </td>
      <td class="col-channel" data-label="Channel">
        {channelName(notification.last_channel)}
      </td>
      <td class="col-rounds" data-label="Rounds">
        {notification.attempts.length === 0 ? notification.retry_count : notification.retry_count + 1}
      </td>
      <td class="col-time" data-label="Created">
        <time dateTime={notification.created_at} title={fullTime(notification.created_at)}>
          {shortTime(notification.created_at)}
        </time>
      </td>
    </tr>
  );
}

function Scheduled({ notification }: { notification: Notification }) {
  const at = scheduledFor(notification);
  if (!at) return null;
  return (
    <span class="scheduled">
      Scheduled for{" "}
      <time dateTime={at} title={fullTime(at)}>
        {shortTime(at)}
      </time>
    </span>
  );
}

function Filters(props: {
  filters: Required<ListFilters>;
  onChange: (changes: Partial<Record<keyof ListFilters, string>>) => void;
}) {
  // Typing updates the list after a pause, not on every key.
  const [search, setSearch] = useState(props.filters.search);
  const [user, setUser] = useState(props.filters.user);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  // The address can change the filters too (a link, the back button): follow it.
  useEffect(() => setSearch(props.filters.search), [props.filters.search]);
  useEffect(() => setUser(props.filters.user), [props.filters.user]);
  useEffect(() => {
    if (search === props.filters.search && user === props.filters.user) return;
    const timer = setTimeout(() => onChange.current({ search, user }), 300);
    return () => clearTimeout(timer);
  }, [search, user]);

  return (
    <form class="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <div class="field field-search">
        <label for="filter-search">Search messages</label>
        <input
          id="filter-search"
          type="search"
          placeholder="Text in the message"
          value={search}
          onInput={(event) => setSearch(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="filter-status">Status</label>
        <select
          id="filter-status"
          value={props.filters.status}
          onChange={(event) => props.onChange({ status: event.currentTarget.value })}
        >
          <option value="">Any status</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {status[0]?.toUpperCase()}
              {status.slice(1)}
            </option>
          ))}
          <option value={SCHEDULED}>Scheduled for later</option>
        </select>
      </div>
      <div class="field">
        <label for="filter-channel">Channel</label>
        <select
          id="filter-channel"
          value={props.filters.channel}
          onChange={(event) => props.onChange({ channel: event.currentTarget.value })}
        >
          <option value="">Any channel</option>
          {CHANNELS.map((channel) => (
            <option key={channel} value={channel}>
              {channelName(channel)}
            </option>
          ))}
        </select>
      </div>
      <div class="field field-user">
        <label for="filter-user">User ID</label>
        <input
          id="filter-user"
          inputMode="numeric"
          pattern="[0-9]*"
          placeholder="Any"
          value={user}
          onInput={(event) => setUser(event.currentTarget.value.replace(/\D/g, ""))}
        />
      </div>
    </form>
  );
}
