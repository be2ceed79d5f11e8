import { useId } from "react";
import { integrationsApi, type JiraSettings as Jira } from "../../api-integrations.ts";
import { Field } from "../../components/forms.tsx";
import { field, IntegrationCard, useIntegration } from "./IntegrationCard.tsx";

/** Jira Cloud: where "Export to Jira" on a session finding creates its issue. */
export function JiraSettings({ projectId }: { projectId: string }) {
  const state = useIntegration(() => integrationsApi.jira(projectId), [projectId]);
  const id = useId();
  return (
    <IntegrationCard<Jira>
      name="Jira"
      lead={
        <>
          Findings of a session are exported as issues of this Jira Cloud project. Use an Atlassian API token
          of an account that may create issues there.
        </>
      }
      state={state}
      summary={(j) => (
        <>
          Issues go to <strong>{j.projectKey}</strong> ({j.issueType}) on <strong>{j.host}</strong> as{" "}
          {j.email} with token <code className="nowrap">{j.apiToken}</code>
        </>
      )}
      onSave={async (form) => {
        const issueType = field(form, "issueType");
        const saved = await integrationsApi.saveJira(projectId, {
          host: field(form, "host"),
          email: field(form, "email"),
          apiToken: field(form, "apiToken"),
          projectKey: field(form, "projectKey"),
          ...(issueType ? { issueType } : {}),
        });
        return `Findings are exported to ${saved.projectKey} on ${saved.host}.`;
      }}
      onTest={() => integrationsApi.testJira(projectId)}
      onRemove={() => integrationsApi.removeJira(projectId)}
      removeQuestion="Remove the Jira settings? Findings can no longer be exported until Jira is configured again."
      token={{ name: "apiToken", noun: "API token", minLength: 8, maxLength: 2048 }}
    >
      {(j) => (
        <>
          <div className="field-row">
            <Field id={`${id}-host`} label="Jira site">
              <input
                id={`${id}-host`}
                name="host"
                required
                maxLength={253}
                defaultValue={j?.host}
                placeholder="acme.atlassian.net"
              />
            </Field>
            <Field id={`${id}-email`} label="Account email">
              <input
                id={`${id}-email`}
                name="email"
                type="email"
                required
                maxLength={254}
                defaultValue={j?.email}
                autoComplete="off"
              />
            </Field>
          </div>
          <div className="field-row">
            <Field id={`${id}-key`} label="Project key">
              <input
                id={`${id}-key`}
                name="projectKey"
                required
                pattern="[A-Z][A-Z0-9_]{0,31}"
                title="Capital letters, digits and _, such as QA"
                defaultValue={j?.projectKey}
                placeholder="QA"
              />
            </Field>
            <Field id={`${id}-type`} label="Issue type">
              <input id={`${id}-type`} name="issueType" maxLength={64} defaultValue={j?.issueType ?? "Bug"} />
            </Field>
          </div>
        </>
      )}
    </IntegrationCard>
  );
}
