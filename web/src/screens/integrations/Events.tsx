import { useId, useState } from "react";
import {
  type Environment,
  EVENT_PROVIDERS,
  EVENT_STATUSES,
  type EventFilter,
  type EventStatus,
  type Provider,
  webhooksApi,
} from "../../api-webhooks.ts";
import { Field, FilterForm, SelectField, type SubmittedForm } from "../../components/forms.tsx";
import { useChangePoll } from "../../components/useChangePoll.ts";
import { usePaged } from "../../components/usePaged.ts";
import { EnvironmentField } from "./EnvironmentField.tsx";
import { EventTable, useReplay } from "./EventTable.tsx";

/** Inbound events with filters; replay one, or every event that matches (dead ones by default). */
export function Events() {
  const [filter, setFilter] = useState<EventFilter>({});
  const events = usePaged((cursor) => webhooksApi.events({ ...filter, cursor, limit: 50 }), [filter]);
  // Live: new events and status changes show without a reload (docs/live-updates.md).
  useChangePoll(webhooksApi.eventsPath, { ...filter, limit: 50 }, events.reload);
  const replays = useReplay(events.reload);
  const id = useId();

  function apply({ text }: SubmittedForm) {
    setFilter({
      provider: text("provider") as Provider | undefined,
      type: text("type"),
      env: text("env") as Environment | undefined,
      status: text("status") as EventStatus | undefined,
    });
  }

  const bulkStatus = filter.status ?? "dead";
  function replayAll() {
    if (bulkStatus === "received") return;
    if (!confirm(`Replay up to 100 ${bulkStatus} events matching these filters?`)) return;
    return replays.run(async () => {
      const { status: _status, ...rest } = filter;
      const result = await webhooksApi.bulkReplay({ ...rest, status: bulkStatus, limit: 100 });
      return result.replayed === 0
        ? `No ${bulkStatus} events match these filters.`
        : `${result.replayed} ${result.replayed === 1 ? "event" : "events"} queued again.`;
    });
  }

  return (
    <div>
      <h2 className="visually-hidden">Events</h2>
      <FilterForm label="Filter events" onApply={apply} onClear={() => setFilter({})}>
        <SelectField
          id={`${id}-provider`}
          label="Provider"
          name="provider"
          options={EVENT_PROVIDERS}
          none="Any"
        />
        <Field id={`${id}-type`} label="Type">
          <input id={`${id}-type`} name="type" maxLength={128} placeholder="github.push" />
        </Field>
        <EnvironmentField id={`${id}-env`} name="env" none="Any" />
        <SelectField id={`${id}-status`} label="Status" name="status" options={EVENT_STATUSES} none="Any" />
      </FilterForm>
      <div className="toolbar">
        <p className="muted small">
          Replaying runs the handlers again (idempotently) and sends the event to subscribed endpoints again.
        </p>
        {replays.manage && (
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
      <EventTable
        paged={events}
        replays={replays}
        caption="Webhook events, newest first"
        loadingLabel="Loading events"
        emptyTitle="No events match"
        empty="Create an inbound source and point a provider's webhook at its URL."
        moreLabel="Load older events"
      />
    </div>
  );
}
