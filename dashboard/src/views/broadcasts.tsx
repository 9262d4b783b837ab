import { useCallback, useEffect, useState } from "preact/hooks";
import { type Api, BROADCAST_PAGE_SIZE, type Broadcast, type Page, STATUSES } from "../api.js";
import { Empty, ErrorNote, Pagination } from "../components.js";
import { fullTime, shortTime } from "../format.js";
import { replaceQuery } from "../router.js";

/** While a broadcast on the page is still moving, the page reads it again this often. */
const REFRESH_MS = 2000;

const STATUS_TEXT: Record<Broadcast["status"], string> = {
  pending: "Pending",
  fanning_out: "Fanning out",
  done: "Done",
  cancelled: "Cancelled",
};

/**
 * Broadcasts with their progress: how many recipients have their notification, and those
 * notifications by status. Refreshed every few seconds while one of them is still moving (a
 * fan-out is thousands of changes: reading the counts beats a live event per notification).
 */
export function BroadcastsView(props: { api: Api; query: URLSearchParams }) {
  const pageNumber = Math.max(1, Number(props.query.get("page")) || 1);
  const [page, setPage] = useState<Page<Broadcast> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(
    () =>
      props.api.broadcasts(pageNumber).then(
        (found) => {
          setPage(found);
          setError(null);
        },
        (failure: unknown) => setError((failure as Error).message),
      ),
    [props.api, pageNumber],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const moving = page?.results.some(isMoving) ?? false;
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [moving, load]);

  const cancel = (broadcast: Broadcast) => {
    if (!confirm(`Cancel broadcast ${broadcast.id}? Its notifications not yet sent will not be sent.`))
      return;
    props.api.cancelBroadcast(broadcast.id).then(
      (cancelled) => {
        setNote(
          `Broadcast ${cancelled.id} cancelled: ${cancelled.counts.cancelled} notifications will not go.`,
        );
        void load();
      },
      (failure: unknown) => setError((failure as Error).message),
    );
  };

  return (
    <section aria-labelledby="broadcasts-title">
      <div class="section-head">
        <h1 id="broadcasts-title">Broadcasts</h1>
        <span class="muted">One message to many users, fanned out by the workers</span>
      </div>
      <ErrorNote error={error} />
      {note ? <p role="status">{note}</p> : null}
      {page === null ? (
        error ? null : (
          <div class="placeholder">Loading broadcasts…</div>
        )
      ) : page.results.length === 0 ? (
        <Empty title="No broadcasts">
          Send one with <code>POST /api/broadcasts/</code> or{" "}
          <code>notification-service broadcast send --all-users --message TEXT</code>.
        </Empty>
      ) : (
        <>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Broadcast</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Notifications</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.results.map((broadcast) => (
                <BroadcastRow key={broadcast.id} broadcast={broadcast} onCancel={() => cancel(broadcast)} />
              ))}
            </tbody>
          </table>
          <Pagination
            page={pageNumber}
            found={page}
            pageSize={BROADCAST_PAGE_SIZE}
            onPage={(next) => replaceQuery("/broadcasts", new URLSearchParams({ page: String(next) }))}
          />
        </>
      )}
    </section>
  );
}

function BroadcastRow(props: { broadcast: Broadcast; onCancel: () => void }) {
  const { broadcast } = props;
  const done = broadcast.total === 0 ? 1 : broadcast.fanned_out / broadcast.total;
  return (
    <tr class="row" data-broadcast={broadcast.id}>
      <td data-label="Broadcast">
        <strong>#{broadcast.id}</strong>{" "}
        {broadcast.template ? `template ${broadcast.template}` : broadcast.message}
        <div class="muted">
          {broadcast.all_users ? "all users" : `${broadcast.total} users`}
          {broadcast.category ? ` · ${broadcast.category}` : ""}
          {broadcast.send_at ? ` · from ${shortTime(broadcast.send_at)}` : ""}
          {broadcast.unknown_user_count > 0 ? ` · ${broadcast.unknown_user_count} unknown ids skipped` : ""} ·{" "}
          <time dateTime={broadcast.created_at} title={fullTime(broadcast.created_at)}>
            {shortTime(broadcast.created_at)}
          </time>
        </div>
      </td>
      <td data-label="Status">
        <span class={`badge badge-broadcast-${broadcast.status}`} data-status={broadcast.status}>
          {STATUS_TEXT[broadcast.status]}
        </span>
      </td>
      <td data-label="Progress">
        <progress max={1} value={done} aria-label={`Broadcast ${broadcast.id} fanned out`} />{" "}
        <span data-progress>
          {broadcast.fanned_out} / {broadcast.total}
        </span>
      </td>
      <td data-label="Notifications">
        {STATUSES.filter((status) => broadcast.counts[status] > 0).map((status) => (
          <a
            key={status}
            class="count-link"
            data-count={status}
            href={`#/?broadcast=${broadcast.id}&status=${status}`}
          >
            {status} {broadcast.counts[status]}
          </a>
        ))}
      </td>
      <td>
        <button type="button" disabled={!cancellable(broadcast)} onClick={props.onCancel}>
          Cancel
        </button>
      </td>
    </tr>
  );
}

const isMoving = (broadcast: Broadcast) =>
  broadcast.status === "pending" || broadcast.status === "fanning_out" || broadcast.counts.pending > 0;

const cancellable = (broadcast: Broadcast) => broadcast.status !== "cancelled" && isMoving(broadcast);
