import type { WebhookEvent } from "../../api-webhooks.ts";
import { formatDateTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { keyboardScrollable } from "../../components/scroll.ts";

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
    <div className="table-wrap" {...keyboardScrollable}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Event</th>
            <th scope="col">Env</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            {onReplay && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">
                <Link
                  href={`/integrations/events/${e.id}`}
                  aria-label={`${e.type} received ${formatDateTime(e.receivedAt)}`}
                >
                  {formatDateTime(e.receivedAt)}
                </Link>
              </td>
              <th scope="row">
                <span className="action-chip">{e.type}</span>
                <span className="muted small block">
                  {e.provider} · {e.deliveryId.length > 40 ? `${e.deliveryId.slice(0, 40)}…` : e.deliveryId}
                </span>
              </th>
              <td>{e.environment ?? <span className="muted">—</span>}</td>
              <td>
                <span className={`badge badge-event-${e.status}`}>{e.status}</span>
                {e.round > 0 && <span className="muted small"> replay {e.round}</span>}
                {e.lastError && <span className="danger-text small block">{e.lastError}</span>}
              </td>
              <td>{e.attempts}</td>
              {onReplay && (
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    onClick={() => onReplay(e)}
                    aria-label={`Replay ${e.type} ${e.id}`}
                  >
                    Replay
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
