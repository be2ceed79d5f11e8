import { endpointName, webhooksApi } from "../../api-webhooks.ts";
import { pct } from "../../components/charts.tsx";
import { DataTable } from "../../components/DataTable.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { PagedView } from "../../components/PagedView.tsx";
import { useAsync } from "../../components/useAsync.ts";
import { useChangePoll } from "../../components/useChangePoll.ts";
import { usePaged } from "../../components/usePaged.ts";
import { EndpointStatus } from "./Endpoints.tsx";
import { DeliveryAnswer } from "./EventDetail.tsx";

/** One outbound endpoint: what it is, its success rate and its deliveries, newest first, kept live. */
export function EndpointDetail({ endpointId }: { endpointId: string }) {
  const endpoint = useAsync(() => webhooksApi.endpoint(endpointId), [endpointId]);
  const deliveries = usePaged(
    (cursor) => webhooksApi.endpointDeliveries(endpointId, { cursor, limit: 50 }),
    [endpointId],
  );
  const stats = useAsync(() => webhooksApi.endpointDeliveries(endpointId, { limit: 1 }), [endpointId]);
  useChangePoll(webhooksApi.endpointDeliveriesPath(endpointId), { limit: 50 }, () => {
    deliveries.reload();
    stats.reload();
    endpoint.reload();
  });

  if (endpoint.error) return <ErrorNotice error={endpoint.error} onRetry={endpoint.reload} />;
  if (!endpoint.data) return <Spinner label="Loading the endpoint" />;
  const e = endpoint.data;
  const s = stats.data?.stats;

  return (
    <div className="stack-lg">
      <p className="crumbs">
        <Link href="/integrations/endpoints">Outbound endpoints</Link> /
      </p>
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
        <div className="card stat">
          <span className="stat-label">Success rate</span>
          <strong className="stat-value">{pct(s?.successRate, 1)}</strong>
          <span className="muted small">of deliveries that finished</span>
        </div>
        <div className="card stat">
          <span className="stat-label">Deliveries</span>
          <strong className="stat-value">{s?.total ?? "—"}</strong>
          <span className="muted small">
            {s
              ? `${s.succeeded} succeeded · ${s.failed} failed · ${s.total - s.succeeded - s.failed} in flight`
              : ""}
          </span>
        </div>
      </div>
      <section aria-labelledby="endpoint-deliveries-h">
        <h3 id="endpoint-deliveries-h">Deliveries</h3>
        <PagedView
          paged={deliveries}
          loadingLabel="Loading deliveries"
          emptyTitle="Nothing delivered yet"
          empty="Events this endpoint subscribes to show here as they are sent."
          moreLabel="Load older deliveries"
        >
          {(items) => (
            <DataTable
              caption="Deliveries to this endpoint, newest first"
              rows={items}
              rowKey={(d) => d.id}
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
          )}
        </PagedView>
      </section>
    </div>
  );
}
