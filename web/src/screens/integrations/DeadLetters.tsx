import { webhooksApi } from "../../api-webhooks.ts";
import { usePaged } from "../../components/usePaged.ts";
import { EventTable, useReplay } from "./EventTable.tsx";

/** Events whose processing retries ran out (GET /v1/webhook-dlq), with single and bulk replay. */
export function DeadLetters() {
  const dead = usePaged((cursor) => webhooksApi.deadLetters({ cursor, limit: 50 }), []);
  const replays = useReplay(dead.reload);

  const replayAll = () => {
    if (!confirm("Replay up to 1000 dead events?")) return;
    return replays.run(async () => {
      const result = await webhooksApi.bulkReplay({ status: "dead", limit: 1000 });
      return `${result.replayed} dead ${result.replayed === 1 ? "event" : "events"} queued again.`;
    });
  };

  return (
    <div>
      <div className="toolbar">
        <h2>Dead letters</h2>
        {replays.manage && dead.items.length > 0 && (
          <button type="button" className="btn btn-secondary" onClick={replayAll}>
            Replay all dead events
          </button>
        )}
      </div>
      <p className="muted small">
        Events whose processing failed on every retry. Fix the cause, then replay.
      </p>
      <EventTable
        paged={dead}
        replays={replays}
        caption="Dead events, newest first"
        loadingLabel="Loading dead letters"
        emptyTitle="No dead letters"
        empty="Every event was processed or is still being retried."
      />
    </div>
  );
}
