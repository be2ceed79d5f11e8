import { useState } from "react";
import { type WebhookEvent, webhooksApi } from "../../api-webhooks.ts";
import { useAppState } from "../../app-state.tsx";
import { type Column, RowButton } from "../../components/DataTable.tsx";
import { ErrorNotice } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { PagedTable, type PagedViewProps } from "../../components/PagedView.tsx";
import { Announce, ReadOnlyNote } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";

/**
 * Replaying events from a list: whether the user may (webhooks:manage), the last outcome and error, `run`
 * for a replay that says what it queued, and the replay of one event. Each replay reloads the list.
 */
export function useReplay(reload: () => void) {
  const { can } = useAppState();
  const [message, setMessage] = useState("");
  const action = useAction();
  const run = (work: () => Promise<string>) =>
    action.run(async () => {
      setMessage(await work());
      reload();
    });
  const replay = (event: WebhookEvent) =>
    run(async () => {
      const queued = await webhooksApi.replay(event.id);
      return `${event.type} queued again (replay ${queued.round}).`;
    });
  return { manage: can("webhooks:manage"), message, error: action.error, run, replay };
}

const COLUMNS: Column<WebhookEvent>[] = [
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
];

/**
 * A paged table of events with the outcome of the last replay; with webhooks:manage each row has a replay
 * button, without it a note says why not.
 */
export function EventTable({
  replays,
  caption,
  ...view
}: PagedViewProps<WebhookEvent> & { replays: ReturnType<typeof useReplay>; caption: string }) {
  return (
    <>
      {!replays.manage && <ReadOnlyNote permission="webhooks:manage" what="replaying events" />}
      <Announce message={replays.message} />
      <ErrorNotice error={replays.error} />
      <PagedTable
        {...view}
        caption={caption}
        columns={COLUMNS}
        actions={
          replays.manage
            ? (e) => (
                <RowButton label={`Replay ${e.type} ${e.id}`} onClick={() => replays.replay(e)}>
                  Replay
                </RowButton>
              )
            : undefined
        }
      />
    </>
  );
}
