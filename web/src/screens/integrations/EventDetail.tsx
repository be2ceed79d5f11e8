import { useState } from "react";
import { allPages } from "../../api.ts";
import { endpointName, webhooksApi } from "../../api-webhooks.ts";
import { useAppState } from "../../app-state.tsx";
import { DataTable } from "../../components/DataTable.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime, formatTime } from "../../components/format.ts";
import { Crumb, Link } from "../../components/Link.tsx";
import { Announce } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { useAsync } from "../../components/useAsync.ts";
import { useChangePoll } from "../../components/useChangePoll.ts";

/** One event: headers and body as received, its outbound deliveries and every attempt; replay it. */
export function EventDetail({ eventId }: { eventId: string }) {
  const { can } = useAppState();
  const event = useAsync(() => webhooksApi.event(eventId), [eventId]);
  const attempts = useAsync(() => webhooksApi.attempts(eventId), [eventId]);
  // Every endpoint by id, so deliveries and attempts name them, however many the organisation has.
  const endpoints = useAsync(() => allPages(webhooksApi.endpoints), []);
  const [message, setMessage] = useState("");
  const action = useAction();
  // Live: a new delivery attempt or status change shows without a reload (docs/live-updates.md).
  useChangePoll(webhooksApi.eventPath(eventId), {}, () => {
    event.reload();
    attempts.reload();
  });

  if (event.error) return <ErrorNotice error={event.error} onRetry={event.reload} />;
  if (!event.data) return <Spinner label="Loading the event" />;
  const e = event.data;
  const byId = new Map((endpoints.data ?? []).map((endpoint) => [endpoint.id, endpoint]));
  const endpointLabel = (endpointId: string) => {
    const endpoint = byId.get(endpointId);
    return endpoint ? endpointName(endpoint) : endpointId;
  };

  function replay() {
    return action.run(async () => {
      const queued = await webhooksApi.replay(eventId);
      setMessage(`Queued again as replay ${queued.round}.`);
      event.reload();
      attempts.reload();
    });
  }

  return (
    <div className="stack-lg">
      <Crumb href="/integrations">Events</Crumb>
      <div className="toolbar">
        <div>
          <h2 className="mono">{e.type}</h2>
          <p className="muted small">
            {e.provider} · received {formatDateTime(e.receivedAt)} · delivery <code>{e.deliveryId}</code>
          </p>
        </div>
        <div className="page-actions">
          <span className={`badge badge-event-${e.displayStatus}`} data-testid="event-status">
            {e.displayStatus}
          </span>
          {e.round > 0 && <span className="badge">replay {e.round}</span>}
          {can("webhooks:manage") && (
            <button type="button" className="btn btn-primary" onClick={replay}>
              Replay
            </button>
          )}
        </div>
      </div>
      <Announce message={message} testId="replay-message" />
      <ErrorNotice error={action.error} />
      {e.lastError && <p className="notice notice-error">{e.lastError}</p>}
      {e.displayStatus === "failing" && (
        <p className="notice notice-error">
          Processed, but every delivery to its endpoints is failing: see each endpoint's answer below.
        </p>
      )}

      <section aria-labelledby="deliveries-h">
        <h3 id="deliveries-h">Deliveries to endpoints</h3>
        {e.deliveries.length === 0 ? (
          <p className="muted">No endpoint subscribes to this event.</p>
        ) : (
          <DataTable
            caption="Deliveries"
            rows={e.deliveries}
            columns={[
              {
                header: "Endpoint",
                rowHeader: true,
                cell: (d) => (
                  <Link href={`/integrations/endpoints/${d.endpointId}`}>{endpointLabel(d.endpointId)}</Link>
                ),
              },
              { header: "Round", cell: (d) => d.round },
              {
                header: "Status",
                cell: (d) => (
                  <>
                    <span className={`badge badge-delivery-${d.status}`}>{d.status}</span>
                    {d.nextAttemptAt && (
                      <span className="muted small block">next {formatTime(d.nextAttemptAt)}</span>
                    )}
                  </>
                ),
              },
              { header: "Attempts", cell: (d) => d.attempts },
              {
                header: "Last answer",
                className: "small",
                cell: (d) => <DeliveryAnswer {...d} />,
              },
            ]}
          />
        )}
      </section>

      <section aria-labelledby="attempts-h">
        <h3 id="attempts-h">Attempts</h3>
        <ErrorNotice error={attempts.error} />
        {attempts.data && attempts.data.items.length === 0 ? (
          <p className="muted">Not attempted yet.</p>
        ) : (
          attempts.data && (
            <ol className="attempt-list" data-testid="attempts">
              {attempts.data.items.map((a) => (
                <li key={a.id} className={`attempt attempt-${a.outcome}`}>
                  <span className="attempt-kind">{a.kind === "process" ? "processed" : "delivered"}</span>{" "}
                  <span className={a.outcome === "succeeded" ? "ok-text" : "danger-text"}>{a.outcome}</span>{" "}
                  <span className="muted small">
                    #{a.attempt} at {formatTime(a.createdAt)}
                    {a.statusCode ? ` · HTTP ${a.statusCode}` : ""}
                    {a.latencyMs !== null ? ` · ${a.latencyMs} ms` : ""}
                    {a.endpointId ? ` · ${endpointLabel(a.endpointId)}` : ""}
                  </span>
                  {a.error && <span className="danger-text small block">{a.error}</span>}
                  {a.outcome === "failed" && a.responseSnippet && (
                    <code className="response-snippet block">{a.responseSnippet}</code>
                  )}
                </li>
              ))}
            </ol>
          )
        )}
      </section>

      <details className="card">
        <summary>Headers and body as received</summary>
        <table className="kv">
          <caption className="visually-hidden">Headers</caption>
          <tbody>
            {Object.entries(e.headers).map(([k, v]) => (
              <tr key={k}>
                <th scope="row">
                  <code>{k}</code>
                </th>
                <td>
                  <code>{v}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <pre className="code-block">{prettyBody(e.body)}</pre>
      </details>
    </div>
  );
}

/** A delivery's last HTTP status, error and the start of the response body. */
export function DeliveryAnswer(d: {
  lastStatusCode: number | null;
  lastError: string | null;
  lastResponseSnippet: string | null;
}) {
  if (d.lastStatusCode === null && !d.lastError) return <span className="muted">not sent yet</span>;
  return (
    <>
      {d.lastStatusCode !== null && (
        <span className={d.lastStatusCode < 300 ? "ok-text" : "danger-text"} data-testid="delivery-http">
          HTTP {d.lastStatusCode}
        </span>
      )}
      {d.lastError && <span className="danger-text block">{d.lastError}</span>}
      {d.lastResponseSnippet && <code className="response-snippet block">{d.lastResponseSnippet}</code>}
    </>
  );
}

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
