import { type FormEvent, useId, useState } from "react";
import {
  ENVIRONMENTS,
  type Environment,
  EVENT_STATUSES,
  type EventFilter,
  type EventStatus,
  PROVIDERS,
  type Provider,
  type WebhookEvent,
  webhooksApi,
} from "../../api-webhooks.ts";
import { useAppState } from "../../app-state.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { Announce, LoadMore, ReadOnlyNote } from "../../components/SubNav.tsx";
import { usePaged } from "../../components/usePaged.ts";
import { EventTable } from "./EventTable.tsx";

/** Inbound events with filters; replay one, or every event that matches (dead ones by default). */
export function Events() {
  const { can } = useAppState();
  const [filter, setFilter] = useState<EventFilter>({});
  const events = usePaged((cursor) => webhooksApi.events({ ...filter, cursor, limit: 50 }), [filter]);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<unknown>(null);
  const manage = can("webhooks:manage");
  const id = useId();

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    setFilter({
      provider: text("provider") as Provider | undefined,
      type: text("type"),
      env: text("env") as Environment | undefined,
      status: text("status") as EventStatus | undefined,
    });
  }

  async function replay(event: WebhookEvent) {
    setError(null);
    try {
      const queued = await webhooksApi.replay(event.id);
      setMessage(`${event.type} queued again (replay ${queued.round}).`);
      events.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  const bulkStatus = filter.status ?? "dead";
  async function replayAll() {
    if (bulkStatus === "received") return;
    if (!confirm(`Replay up to 100 ${bulkStatus} events matching these filters?`)) return;
    setError(null);
    try {
      const { status: _status, ...rest } = filter;
      const result = await webhooksApi.bulkReplay({ ...rest, status: bulkStatus, limit: 100 });
      setMessage(
        result.replayed === 0
          ? `No ${bulkStatus} events match these filters.`
          : `${result.replayed} ${result.replayed === 1 ? "event" : "events"} queued again.`,
      );
      events.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <div>
      <h2 className="visually-hidden">Events</h2>
      <form className="card filters" onSubmit={apply} aria-label="Filter events">
        <div className="field">
          <label htmlFor={`${id}-provider`}>Provider</label>
          <select id={`${id}-provider`} name="provider" defaultValue="">
            <option value="">Any</option>
            {PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>Type</label>
          <input id={`${id}-type`} name="type" maxLength={128} placeholder="github.push" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-env`}>Environment</label>
          <select id={`${id}-env`} name="env" defaultValue="">
            <option value="">Any</option>
            {ENVIRONMENTS.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select id={`${id}-status`} name="status" defaultValue="">
            <option value="">Any</option>
            {EVENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="filters-actions">
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          <button type="reset" className="btn btn-ghost" onClick={() => setFilter({})}>
            Clear
          </button>
        </div>
      </form>
      <div className="toolbar">
        <p className="muted small">
          Replaying runs the handlers again (idempotently) and sends the event to subscribed endpoints again.
        </p>
        {manage && (
          <button
            type="button"
            className="btn btn-secondary"
            onClick={replayAll}
            disabled={bulkStatus === "received"}
            title={bulkStatus === "received" ? "Events still being received cannot be replayed" : undefined}
          >
            Replay all {bulkStatus} matching
          </button>
        )}
      </div>
      {!manage && <ReadOnlyNote permission="webhooks:manage" what="replaying events" />}
      <Announce message={message} />
      <ErrorNotice error={error} />
      <ErrorNotice error={events.error} />
      {!events.loaded ? (
        <Spinner label="Loading events" />
      ) : events.items.length === 0 ? (
        <EmptyState title="No events match">
          Create an inbound source and point a provider's webhook at its URL.
        </EmptyState>
      ) : (
        <EventTable
          events={events.items}
          caption="Webhook events, newest first"
          onReplay={manage ? replay : undefined}
        />
      )}
      <LoadMore
        hasMore={events.hasMore}
        loading={events.loading}
        onMore={events.more}
        label="Load older events"
      />
    </div>
  );
}
