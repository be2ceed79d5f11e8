import { type FormEvent, useId, useState } from "react";
import {
  integrationsApi,
  type NotificationRule,
  SHIFTY_EVENTS,
  type ShiftyEventType,
} from "../../api-integrations.ts";
import { useAppState } from "../../app-state.tsx";
import { DataTable, RowButton } from "../../components/DataTable.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatRelative } from "../../components/format.ts";
import { FieldRows } from "../../components/forms.tsx";
import { Announce, ReadOnlyNote } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { useAsync } from "../../components/useAsync.ts";

const EVENT_LABELS: Record<ShiftyEventType, string> = {
  "run.completed": "Run completed",
  "gate.failed": "Gate failed",
  "heal.pending_review": "Heal waits for review",
  "flaky.detected": "Flaky test detected",
  "session.ended": "Session ended",
  "deploy.at_risk": "Deploy at risk",
  "incident.opened": "Incident opened",
};

/** Slack: rules that post chosen Shifty events to an incoming webhook (URL sealed, never shown again). */
export function SlackSettings({ projectId }: { projectId: string }) {
  const { can } = useAppState();
  const rules = useAsync(() => integrationsApi.slackRules(projectId), [projectId]);
  const [message, setMessage] = useState("");
  const action = useAction();
  const id = useId();
  const writable = can("projects:write");

  function create(event: FormEvent<HTMLFormElement>) {
    setMessage("");
    return action.submitForm(event, async ({ form, text }) => {
      const rule = await integrationsApi.createSlackRule(projectId, {
        name: text("name") ?? "",
        slackWebhookUrl: text("slackWebhookUrl") ?? "",
        eventTypes: form.getAll("eventTypes").map(String) as ShiftyEventType[],
      });
      setMessage(`“${rule.name}” posts ${rule.eventTypes.length} kinds of events to Slack.`);
      rules.reload();
    });
  }

  function act(rule: NotificationRule, kind: "test" | "remove") {
    if (kind === "remove" && !confirm(`Delete the Slack rule “${rule.name}”?`)) return;
    setMessage("");
    return action.run(async () => {
      if (kind === "remove") {
        await integrationsApi.removeSlackRule(rule.id);
        setMessage(`“${rule.name}” deleted.`);
        rules.reload();
        return;
      }
      const result = await integrationsApi.testSlackRule(rule.id);
      setMessage(
        result.delivered
          ? `Test message delivered to Slack for “${rule.name}”.`
          : `Slack did not take the test message for “${rule.name}”: ${result.error ?? `HTTP ${result.status}`}.`,
      );
    });
  }

  return (
    <section className="card stack" aria-labelledby={`${id}-h`}>
      <div>
        <h2 id={`${id}-h`}>Slack</h2>
        <p className="muted small">
          Each rule posts the chosen events of this project to a Slack incoming webhook. The webhook URL is
          stored encrypted and shown only by its host and last characters.
        </p>
      </div>
      <ErrorNotice error={rules.error} />
      {rules.loading && !rules.data ? (
        <Spinner label="Loading the Slack rules" />
      ) : rules.data && rules.data.items.length === 0 ? (
        <EmptyState title="No Slack rules yet" />
      ) : (
        <DataTable
          caption="Slack rules"
          rows={rules.data?.items ?? []}
          columns={[
            { header: "Name", rowHeader: true, cell: (r) => r.name },
            {
              header: "Events",
              cell: (r) =>
                r.eventTypes.map((t) => (
                  <code key={t} className="tag">
                    {t}
                  </code>
                )),
            },
            { header: "Webhook", cell: (r) => <code>{r.slackWebhook}</code> },
            { header: "Created", className: "nowrap", cell: (r) => formatRelative(r.createdAt) },
          ]}
          actions={
            writable
              ? (r) => (
                  <>
                    <RowButton label={`Send a test message for ${r.name}`} onClick={() => act(r, "test")}>
                      Test
                    </RowButton>
                    <RowButton danger label={`Delete ${r.name}`} onClick={() => act(r, "remove")}>
                      Delete
                    </RowButton>
                  </>
                )
              : undefined
          }
        />
      )}
      <Announce message={message} testId="slack-message" />
      <ErrorNotice error={action.error} />
      {writable ? (
        <form className="stack" onSubmit={create} aria-label="New Slack rule">
          <FieldRows
            id={id}
            fields={[
              { name: "name", label: "Rule name", required: true, maxLength: 80, placeholder: "QA channel" },
              {
                name: "slackWebhookUrl",
                label: "Slack webhook URL",
                type: "url",
                required: true,
                maxLength: 500,
                pattern: "https://.*",
                placeholder: "https://hooks.slack.com/services/…",
                autoComplete: "off",
              },
            ]}
          />
          <fieldset className="check-grid">
            <legend>Events to post</legend>
            {SHIFTY_EVENTS.map((type) => (
              <label key={type} className="check">
                <input
                  type="checkbox"
                  name="eventTypes"
                  value={type}
                  defaultChecked={type === "gate.failed"}
                />
                <span>{EVENT_LABELS[type]}</span>
              </label>
            ))}
          </fieldset>
          <div className="toolbar">
            <span />
            <button type="submit" className="btn btn-primary" disabled={action.busy}>
              Add Slack rule
            </button>
          </div>
        </form>
      ) : (
        <ReadOnlyNote permission="projects:write" what="changing Slack rules" />
      )}
    </section>
  );
}
