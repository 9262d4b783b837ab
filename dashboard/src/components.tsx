import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Page } from "./api.js";
import type { LiveEvent, LiveFeed } from "./live.js";

const STATUS_LABELS: Record<string, string> = {
  pending: "Pending",
  sent: "Sent",
  failed: "Failed",
  cancelled: "Cancelled",
  expired: "Expired",
  in_progress: "In progress",
  skipped: "Skipped",
  interrupted: "Interrupted",
};

/** Colour and words together: the colour alone must never carry the meaning. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge badge-${status}`} data-status={status}>
      {STATUS_LABELS[status] ?? status}
    </span>
  );
}

const DELIVERY_LABELS: Record<string, string> = {
  accepted: "Accepted, no receipt yet",
  delivered: "Delivered",
  undelivered: "Not delivered",
  unknown: "Delivery unknown",
};

/** What the provider's receipts say became of an accepted message. */
export function DeliveryBadge({ delivery }: { delivery: string }) {
  return (
    <span class={`badge badge-delivery-${delivery}`} data-delivery={delivery}>
      {DELIVERY_LABELS[delivery] ?? delivery}
    </span>
  );
}

export function Pagination(props: {
  page: number;
  /** The API's page: its count (an estimate when count_exact is false) and whether a next page exists. */
  found: Pick<Page<unknown>, "count" | "count_exact" | "next">;
  pageSize: number;
  onPage: (page: number) => void;
}) {
  const { count, count_exact: exact } = props.found;
  const pages = Math.max(1, Math.ceil(count / props.pageSize));
  const from = count === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const to = Math.min(count, props.page * props.pageSize);
  const about = exact ? "" : "about ";
  return (
    <nav class="pagination" aria-label="Pages">
      <span class="muted">
        {from}–{exact ? to : props.page * props.pageSize} of {about}
        {count.toLocaleString("en-US")}
      </span>
      <div class="pagination-buttons">
        <button type="button" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
          ← Newer
        </button>
        <span aria-current="page">
          Page {props.page} of {about}
          {pages.toLocaleString("en-US")}
        </span>
        <button
          type="button"
          disabled={props.found.next === null}
          onClick={() => props.onPage(props.page + 1)}
        >
          Older →
        </button>
      </div>
    </nav>
  );
}

/** For a list whose size the page does not know: moves along the answer's next and previous links. */
export function PageLinks(props: {
  page: number;
  answer: { count: number; next: string | null; previous: string | null };
  onPage: (page: number) => void;
}) {
  return (
    <nav class="pagination" aria-label="Pages">
      <span class="muted">{props.answer.count} in all</span>
      <div class="pagination-buttons">
        <button type="button" disabled={!props.answer.previous} onClick={() => props.onPage(props.page - 1)}>
          ← Newer
        </button>
        <span aria-current="page">Page {props.page}</span>
        <button type="button" disabled={!props.answer.next} onClick={() => props.onPage(props.page + 1)}>
          Older →
        </button>
      </div>
    </nav>
  );
}

export function ErrorNote({ error }: { error: string | null }) {
  return error ? (
    <p class="note note-error" role="alert">
      {error}
    </p>
  ) : null;
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children ? <p class="muted">{children}</p> : null}
    </div>
  );
}

/**
 * Calls `reload` when a live event passes `relevant`, at most once per `intervalMs` and never
 * twice at once, so a burst of changes costs one request, not one per change.
 */
export function useLiveReload(
  live: LiveFeed,
  relevant: (event: LiveEvent) => boolean,
  reload: () => Promise<unknown>,
  intervalMs = 400,
) {
  const latest = useRef({ relevant, reload });
  latest.current = { relevant, reload };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let running = false;
    let again = false;
    const run = async () => {
      timer = null;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        await latest.current.reload();
      } finally {
        running = false;
        if (again) {
          again = false;
          schedule();
        }
      }
    };
    const schedule = () => {
      timer ??= setTimeout(run, intervalMs);
    };
    const unsubscribe = live.subscribe((event) => {
      const always = event.type === "ready" || event.type === "resync";
      if (always || latest.current.relevant(event)) schedule();
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [live, intervalMs]);
}
