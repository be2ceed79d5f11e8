import { integrationsApi, type JiraSettings as Jira } from "../../api-integrations.ts";
import { field, IntegrationCard, useIntegration } from "./IntegrationCard.tsx";

/** Jira Cloud: where "Export to Jira" on a session finding creates its issue. */
export function JiraSettings({ projectId }: { projectId: string }) {
  const state = useIntegration(() => integrationsApi.jira(projectId), [projectId]);
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
      fields={[
        {
          name: "host",
          label: "Jira site",
          required: true,
          maxLength: 253,
          placeholder: "acme.atlassian.net",
          value: (j) => j?.host,
        },
        {
          name: "email",
          label: "Account email",
          type: "email",
          required: true,
          maxLength: 254,
          autoComplete: "off",
          value: (j) => j?.email,
        },
        {
          name: "projectKey",
          label: "Project key",
          required: true,
          pattern: "[A-Z][A-Z0-9_]{0,31}",
          title: "Capital letters, digits and _, such as QA",
          placeholder: "QA",
          value: (j) => j?.projectKey,
        },
        { name: "issueType", label: "Issue type", maxLength: 64, value: (j) => j?.issueType ?? "Bug" },
      ]}
      token={{ name: "apiToken", noun: "API token", minLength: 8, maxLength: 2048 }}
    />
  );
}
