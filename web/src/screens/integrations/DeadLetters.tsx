import { useState } from "react";
import { type WebhookEvent, webhooksApi } from "../../api-webhooks.ts";
import { useAppState } from "../../app-state.tsx";
import { ErrorNotice } from "../../components/Feedback.tsx";
import { PagedView } from "../../components/PagedView.tsx";
import { Announce, ReadOnlyNote } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { usePaged } from "../../components/usePaged.ts";
import { EventTable } from "./EventTable.tsx";

/** Events whose processing retries ran out (GET /v1/webhook-dlq), with single and bulk replay. */
export function DeadLetters() {
  const { can } = useAppState();
  const dead = usePaged((cursor) => webhooksApi.deadLetters({ cursor, limit: 50 }), []);
  const [message, setMessage] = useState("");
  const action = useAction();
  const manage = can("webhooks:manage");

  const act = (work: () => Promise<string>) =>
    action.run(async () => {
      setMessage(await work());
      dead.reload();
    });

  const replay = (event: WebhookEvent) =>
    act(async () => {
      const queued = await webhooksApi.replay(event.id);
      return `${event.type} queued again (replay ${queued.round}).`;
    });
  const replayAll = () => {
    if (!confirm("Replay up to 1000 dead events?")) return;
    return act(async () => {
      const result = await webhooksApi.bulkReplay({ status: "dead", limit: 1000 });
      return `${result.replayed} dead ${result.replayed === 1 ? "event" : "events"} queued again.`;
    });
  };

  return (
    <div>
      <div className="toolbar">
        <h2>Dead letters</h2>
        {manage && dead.items.length > 0 && (
          <button type="button" className="btn btn-secondary" onClick={replayAll}>
            Replay all dead events
          </button>
        )}
      </div>
      <p className="muted small">
        Events whose processing failed on every retry. Fix the cause, then replay.
      </p>
      {!manage && <ReadOnlyNote permission="webhooks:manage" what="replaying events" />}
      <Announce message={message} />
      <ErrorNotice error={action.error} />
      <PagedView
        paged={dead}
        loadingLabel="Loading dead letters"
        emptyTitle="No dead letters"
        empty="Every event was processed or is still being retried."
      >
        {(items) => (
          <EventTable
            events={items}
            caption="Dead events, newest first"
            onReplay={manage ? replay : undefined}
          />
        )}
      </PagedView>
    </div>
  );
}
