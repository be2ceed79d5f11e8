import { useState } from "react";
import {
  type EndpointDeliveryPage,
  endpointName,
  type WebhookTestDelivery,
  webhooksApi,
} from "../../api-webhooks.ts";
import { useAppState } from "../../app-state.tsx";
import { pct } from "../../components/charts.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Crumb, Link } from "../../components/Link.tsx";
import { PagedTable } from "../../components/PagedView.tsx";
import { Stat } from "../../components/Stat.tsx";
import { useAction } from "../../components/useAction.ts";
import { useAsync } from "../../components/useAsync.ts";
import { useChangePoll } from "../../components/useChangePoll.ts";
import { usePaged } from "../../components/usePaged.ts";
import { EndpointStatus } from "./Endpoints.tsx";
import { DeliveryAnswer } from "./EventDetail.tsx";

/** One outbound endpoint: what it is, its success rate and its deliveries, newest first, kept live. */
export function EndpointDetail({ endpointId }: { endpointId: string }) {
  const endpoint = useAsync(() => webhooksApi.endpoint(endpointId), [endpointId]);
  // Every page carries the stats over all the endpoint's deliveries: keep the latest, no second request.
  const [s, setStats] = useState<EndpointDeliveryPage["stats"] | undefined>();
  const deliveries = usePaged(
    async (cursor) => {
      const page = await webhooksApi.endpointDeliveries(endpointId, { cursor, limit: 50 });
      setStats(page.stats);
      return page;
    },
    [endpointId],
  );
  useChangePoll(webhooksApi.endpointDeliveriesPath(endpointId), { limit: 50 }, () => {
    deliveries.reload();
    endpoint.reload();
  });

  const { can } = useAppState();
  if (endpoint.error) return <ErrorNotice error={endpoint.error} onRetry={endpoint.reload} />;
  if (!endpoint.data) return <Spinner label="Loading the endpoint" />;
  const e = endpoint.data;

  return (
    <div className="stack-lg">
      <Crumb href="/integrations/endpoints">Outbound endpoints</Crumb>
      <div className="toolbar">
        <div>
          <h2>{endpointName(e)}</h2>
          <p className="muted small">
            <code>{e.url}</code> · {e.eventTypes.join(", ")}
            {e.environment ? ` · ${e.environment} only` : ""}
          </p>
        </div>
        <div>{EndpointStatus(e)}</div>
      </div>
      <div className="stat-grid" data-testid="endpoint-stats">
        <Stat label="Success rate" value={pct(s?.successRate, 1)} detail="of deliveries that finished" />
        <Stat
          label="Deliveries"
          value={s?.total ?? "—"}
          detail={
            s &&
            `${s.succeeded} succeeded · ${s.failed} failed · ${s.total - s.succeeded - s.failed} in flight`
          }
        />
      </div>
      {can("webhooks:manage") && e.status === "active" && (
        <TestSend endpointId={endpointId} onSent={deliveries.reload} />
      )}
      <section aria-labelledby="endpoint-deliveries-h">
        <h3 id="endpoint-deliveries-h">Deliveries</h3>
        <PagedTable
          paged={deliveries}
          loadingLabel="Loading deliveries"
          emptyTitle="Nothing delivered yet"
          empty="Events this endpoint subscribes to show here as they are sent."
          moreLabel="Load older deliveries"
          caption="Deliveries to this endpoint, newest first"
          columns={[
            {
              header: "Event",
              rowHeader: true,
              cell: (d) => (
                <>
                  <Link href={`/integrations/events/${d.eventId}`}>{d.eventType}</Link>
                  <span className="muted small block">{formatDateTime(d.createdAt)}</span>
                </>
              ),
            },
            {
              header: "Status",
              cell: (d) => <span className={`badge badge-delivery-${d.status}`}>{d.status}</span>,
            },
            { header: "Attempts", cell: (d) => d.attempts },
            { header: "Last answer", className: "small", cell: (d) => <DeliveryAnswer {...d} /> },
          ]}
        />
      </section>
    </div>
  );
}

/** "Send test event": a signed `shifty.test` through the normal delivery path, and what the endpoint said. */
function TestSend({ endpointId, onSent }: { endpointId: string; onSent: () => void }) {
  const action = useAction();
  const [result, setResult] = useState<WebhookTestDelivery | null>(null);
  const send = () =>
    action.submit(async () => {
      setResult(null);
      setResult(await webhooksApi.testEndpoint(endpointId));
      onSent();
    });
  return (
    <section className="card stack" aria-labelledby="endpoint-test-h">
      <div className="toolbar">
        <div>
          <h3 id="endpoint-test-h">Send a test event</h3>
          <p className="muted small">
            A signed <code>shifty.test</code> event, delivered like any other; only this endpoint gets it.
          </p>
        </div>
        <button type="button" className="btn btn-secondary" onClick={send} disabled={action.busy}>
          {action.busy ? "Sending…" : "Send test event"}
        </button>
      </div>
      {result && (
        <p
          className={`notice ${result.status === "succeeded" ? "notice-ok" : "notice-error"}`}
          role="status"
          data-testid="endpoint-test-result"
        >
          <strong>{result.status === "succeeded" ? "Delivered." : "Not delivered."}</strong>{" "}
          {result.statusCode !== null ? `HTTP ${result.statusCode}` : (result.error ?? "No answer")}
          {result.latencyMs !== null && <span className="muted"> · {result.latencyMs} ms</span>}
          {result.status === "retrying" && <span className="muted"> · the queue retries it</span>}
          {result.responseSnippet && (
            <code className="block small">{result.responseSnippet.slice(0, 300)}</code>
          )}
        </p>
      )}
      <ErrorNotice error={action.error} />
    </section>
  );
}
