import { useEffect, useState } from "preact/hooks";
import { type Api, ApiError, type OutboxEntry, type Page } from "../api.js";
import { Empty, ErrorNote, PageLinks } from "../components.js";
import { channelName, fullTime, shortTime } from "../format.js";
import { replaceQuery } from "../router.js";

/** What the delivery sandbox kept instead of sending (GET /api/outbox/, when the server has one). */
export function OutboxView(props: { api: Api; query: URLSearchParams }) {
  const pageNumber = Math.max(1, Number(props.query.get("page")) || 1);
  const [page, setPage] = useState<Page<OutboxEntry> | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    props.api.outbox(pageNumber).then(
      (result) => {
        setPage(result);
        setMissing(false);
        setError(null);
      },
      (failure: unknown) => {
        if (failure instanceof ApiError && failure.status === 404 && pageNumber === 1) setMissing(true);
        else setError((failure as Error).message);
      },
    );
  }, [props.api, pageNumber]);

  const go = (next: number) => replaceQuery("/outbox", new URLSearchParams({ page: String(next) }));
  return (
    <section aria-labelledby="outbox-title">
      <div class="section-head">
        <h1 id="outbox-title">Outbox</h1>
        <span class="muted">What the delivery sandbox would have sent</span>
      </div>
      <ErrorNote error={error} />
      {missing ? (
        <Empty title="No outbox on this server">
          The delivery sandbox is not available here, so nothing is kept in an outbox: notifications go to the
          real providers. With the sandbox on (<code>DELIVERY_SANDBOX=true</code>), every message appears here
          instead.
        </Empty>
      ) : page === null ? (
        <div class="placeholder">Loading the outbox…</div>
      ) : page.results.length === 0 ? (
        <Empty title="The outbox is empty">
          Messages delivered into the sandbox appear here. The sandbox is on with{" "}
          <code>DELIVERY_SANDBOX=true</code>, and by default outside production while no channel has
          credentials.
        </Empty>
      ) : (
        <>
          <table class="table outbox">
            <thead>
              <tr>
                <th scope="col" class="col-time">
                  When
                </th>
                <th scope="col" class="col-channel">
                  Channel
                </th>
                <th scope="col" class="col-to">
                  To
                </th>
                <th scope="col">Message</th>
                <th scope="col" class="col-id">
                  Notification
                </th>
              </tr>
            </thead>
            <tbody>
              {page.results.map((entry) => (
                <tr key={entry.id} class="row">
                  <td class="col-time" data-label="When">
                    <time dateTime={entry.created_at} title={fullTime(entry.created_at)}>
                      {shortTime(entry.created_at)}
                    </time>
                  </td>
                  <td class="col-channel" data-label="Channel">
                    {channelName(entry.channel)}
                  </td>
                  <td class="col-to" data-label="To">
                    {entry.to}
                  </td>
                  <td class="col-message" data-label="Message">
                    {entry.subject ? <strong class="subject">{entry.subject} · </strong> : null}
                    <span class="message-text">{entry.text}</span>
                  </td>
                  <td class="col-id" data-label="Notification">
                    <a href={`#/notifications/${entry.notification}`}>{entry.notification}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <PageLinks page={pageNumber} answer={page} onPage={go} />
        </>
      )}
    </section>
  );
}
