import type { WebhookEvent } from "../../api-webhooks.ts";
import { DataTable, RowButton } from "../../components/DataTable.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";

/** Events as a table; `onReplay` adds a replay button per row (left out without webhooks:manage). */
export function EventTable({
  events,
  caption,
  onReplay,
}: {
  events: WebhookEvent[];
  caption: string;
  onReplay?: (event: WebhookEvent) => void;
}) {
  return (
    <DataTable
      caption={caption}
      rows={events}
      columns={[
        {
          header: "Received",
          className: "nowrap",
          cell: (e) => (
            <Link
              href={`/integrations/events/${e.id}`}
              aria-label={`${e.type} received ${formatDateTime(e.receivedAt)}`}
            >
              {formatDateTime(e.receivedAt)}
            </Link>
          ),
        },
        {
          header: "Event",
          rowHeader: true,
          cell: (e) => (
            <>
              <span className="action-chip">{e.type}</span>
              <span className="muted small block">
                {e.provider} · {e.deliveryId.length > 40 ? `${e.deliveryId.slice(0, 40)}…` : e.deliveryId}
              </span>
            </>
          ),
        },
        { header: "Env", cell: (e) => e.environment ?? <span className="muted">—</span> },
        {
          header: "Status",
          cell: (e) => (
            <>
              <span className={`badge badge-event-${e.displayStatus}`}>{e.displayStatus}</span>
              {e.round > 0 && <span className="muted small"> replay {e.round}</span>}
              {e.lastError && <span className="danger-text small block">{e.lastError}</span>}
            </>
          ),
        },
        { header: "Attempts", cell: (e) => e.attempts },
      ]}
      actions={
        onReplay
          ? (e) => (
              <RowButton label={`Replay ${e.type} ${e.id}`} onClick={() => onReplay(e)}>
                Replay
              </RowButton>
            )
          : undefined
      }
    />
  );
}
