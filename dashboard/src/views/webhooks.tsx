import { useCallback, useEffect, useState } from "preact/hooks";
import type { Api, WebhookDelivery, WebhookEndpoint } from "../api.js";
import { Empty, ErrorNote } from "../components.js";
import { fullTime, shortTime } from "../format.js";

/** Webhook endpoints, whether they work (or were disabled, and why), and their recent deliveries. */
export function WebhooksView(props: { api: Api }) {
  const [endpoints, setEndpoints] = useState<WebhookEndpoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    props.api.webhooks().then(
      (page) => setEndpoints(page.results),
      (failure: unknown) => setError((failure as Error).message),
    );
  }, [props.api]);

  return (
    <section aria-labelledby="webhooks-title">
      <div class="section-head">
        <h1 id="webhooks-title">Webhooks</h1>
        <span class="muted">Signed status events sent to your endpoints</span>
      </div>
      <ErrorNote error={error} />
      {endpoints === null ? (
        error ? null : (
          <div class="placeholder">Loading webhooks…</div>
        )
      ) : endpoints.length === 0 ? (
        <Empty title="No webhook endpoints">
          Register one with <code>POST /api/webhooks/</code> or{" "}
          <code>notification-service webhooks create --url URL --events '*'</code>.
        </Empty>
      ) : (
        endpoints.map((endpoint) => <EndpointCard key={endpoint.id} api={props.api} endpoint={endpoint} />)
      )}
    </section>
  );
}

function EndpointCard(props: { api: Api; endpoint: WebhookEndpoint }) {
  const { api, endpoint } = props;
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(() => {
    api.webhookDeliveries(endpoint.id).then(
      (page) => setDeliveries(page.results),
      (failure: unknown) => setError((failure as Error).message),
    );
  }, [api, endpoint.id]);
  useEffect(load, [load]);

  const act = (action: () => Promise<WebhookDelivery>, done: string) =>
    action().then(
      () => {
        setNote(done);
        setError(null);
        load();
      },
      (failure: unknown) => setError((failure as Error).message),
    );

  return (
    <article class="webhook" data-webhook={endpoint.id} aria-labelledby={`webhook-${endpoint.id}`}>
      <header class="section-head">
        <h2 id={`webhook-${endpoint.id}`}>
          {endpoint.url} {endpoint.enabled ? null : <span class="badge badge-failed">Disabled</span>}
        </h2>
        <button
          type="button"
          disabled={!endpoint.enabled}
          onClick={() => act(() => api.testWebhook(endpoint.id), "A test event is on its way.")}
        >
          Send test event
        </button>
      </header>
      <p class="muted">
        {endpoint.description ? `${endpoint.description} · ` : ""}
        {endpoint.events.join(", ")}
        {endpoint.failing_since ? ` · failing since ${fullTime(endpoint.failing_since)}` : ""}
      </p>
      {endpoint.disabled_reason ? (
        <p class="note note-error" role="status">
          Disabled: {endpoint.disabled_reason}
        </p>
      ) : null}
      <ErrorNote error={error} />
      {note ? <p role="status">{note}</p> : null}
      {deliveries === null ? null : deliveries.length === 0 ? (
        <p class="muted">No deliveries yet.</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Last answer</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((delivery) => {
              const last = delivery.attempts.at(-1);
              return (
                <tr key={delivery.id} class="row" data-delivery={delivery.id}>
                  <td data-label="When">
                    <time dateTime={delivery.created_at} title={fullTime(delivery.created_at)}>
                      {shortTime(delivery.created_at)}
                    </time>
                  </td>
                  <td data-label="Event">{delivery.event_type}</td>
                  <td data-label="Status">
                    {delivery.status} ({delivery.attempt_count} attempt
                    {delivery.attempt_count === 1 ? "" : "s"})
                  </td>
                  <td data-label="Last answer">{last ? (last.response_status ?? last.error ?? "-") : "-"}</td>
                  <td>
                    <button
                      type="button"
                      disabled={!endpoint.enabled || delivery.status === "pending"}
                      onClick={() =>
                        act(
                          () => api.replayWebhookDelivery(endpoint.id, delivery.id),
                          `Delivery ${delivery.id} will be sent again now.`,
                        )
                      }
                    >
                      Replay
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </article>
  );
}
