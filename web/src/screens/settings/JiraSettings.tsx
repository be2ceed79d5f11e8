import { integrationsApi } from "../../api-integrations.ts";
import { field, IntegrationCard } from "./IntegrationCard.tsx";

/** Jira Cloud: where "Export to Jira" on a session finding creates its issue. */
export function JiraSettings({ projectId }: { projectId: string }) {
  return (
    <IntegrationCard
      name="Jira"
      lead={
        <>
          Findings of a session are exported as issues of this Jira Cloud project. Use an Atlassian API token
          of an account that may create issues there.
        </>
      }
      api={integrationsApi.jira}
      projectId={projectId}
      summary={(j) => (
        <>
          Issues go to <strong>{j.projectKey}</strong> ({j.issueType}) on <strong>{j.host}</strong> as{" "}
          {j.email} with token <code className="nowrap">{j.apiToken}</code>
        </>
      )}
      input={(form) => {
        const issueType = field(form, "issueType");
        return {
          host: field(form, "host"),
          email: field(form, "email"),
          apiToken: field(form, "apiToken"),
          projectKey: field(form, "projectKey"),
          ...(issueType ? { issueType } : {}),
        };
      }}
      savedMessage={(saved) => `Findings are exported to ${saved.projectKey} on ${saved.host}.`}
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
