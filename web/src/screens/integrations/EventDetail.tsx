import { useState } from "react";
import { webhooksApi } from "../../api-webhooks.ts";
import { useAppState } from "../../app-state.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime, formatTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { Announce } from "../../components/SubNav.tsx";
import { keyboardScrollable } from "../../components/scroll.ts";
import { useAsync } from "../../components/useAsync.ts";

/** One event: headers and body as received, its outbound deliveries and every attempt; replay it. */
export function EventDetail({ eventId }: { eventId: string }) {
  const { can } = useAppState();
  const event = useAsync(() => webhooksApi.event(eventId), [eventId]);
  const attempts = useAsync(() => webhooksApi.attempts(eventId), [eventId]);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<unknown>(null);

  if (event.error) return <ErrorNotice error={event.error} />;
  if (!event.data) return <Spinner label="Loading the event" />;
  const e = event.data;

  async function replay() {
    setError(null);
    try {
      const queued = await webhooksApi.replay(eventId);
      setMessage(`Queued again as replay ${queued.round}.`);
      event.reload();
      attempts.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <div className="stack-lg">
      <p className="crumbs">
        <Link href="/integrations">Events</Link> /
      </p>
      <div className="toolbar">
        <div>
          <h2 className="mono">{e.type}</h2>
          <p className="muted small">
            {e.provider} · received {formatDateTime(e.receivedAt)} · delivery <code>{e.deliveryId}</code>
          </p>
        </div>
        <div className="page-actions">
          <span className={`badge badge-event-${e.status}`} data-testid="event-status">
            {e.status}
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
      <ErrorNotice error={error} />
      {e.lastError && <p className="notice notice-error">{e.lastError}</p>}

      <section aria-labelledby="deliveries-h">
        <h3 id="deliveries-h">Deliveries to endpoints</h3>
        {e.deliveries.length === 0 ? (
          <p className="muted">No endpoint subscribes to this event.</p>
        ) : (
          <div className="table-wrap" {...keyboardScrollable}>
            <table>
              <caption className="visually-hidden">Deliveries</caption>
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Round</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last answer</th>
                </tr>
              </thead>
              <tbody>
                {e.deliveries.map((d) => (
                  <tr key={d.id}>
                    <th scope="row">
                      <code>{d.endpointId}</code>
                    </th>
                    <td>{d.round}</td>
                    <td>
                      <span className={`badge badge-delivery-${d.status}`}>{d.status}</span>
                      {d.nextAttemptAt && (
                        <span className="muted small block">next {formatTime(d.nextAttemptAt)}</span>
                      )}
                    </td>
                    <td>{d.attempts}</td>
                    <td className="small">
                      {d.lastStatusCode ?? ""} {d.lastError ?? ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
                    {a.endpointId ? ` · ${a.endpointId}` : ""}
                  </span>
                  {a.error && <span className="danger-text small block">{a.error}</span>}
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

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
