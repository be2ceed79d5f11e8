import { integrationsApi } from "../../api-integrations.ts";
import { field, IntegrationCard } from "./IntegrationCard.tsx";

/** GitHub: where a run's quality gate is reported (check run, or commit status for non-App tokens). */
export function GithubSettings({ projectId }: { projectId: string }) {
  return (
    <IntegrationCard
      name="GitHub"
      lead="With a commit on the run, Shifty posts the quality gate to this repository as a check run (or a commit status)."
      api={integrationsApi.github}
      projectId={projectId}
      summary={(g) => (
        <>
          Reporting to{" "}
          <strong>
            {g.owner}/{g.repo}
          </strong>{" "}
          with token <code className="nowrap">{g.token}</code>
        </>
      )}
      input={(form) => ({
        owner: field(form, "owner"),
        repo: field(form, "repo"),
        token: field(form, "token"),
      })}
      savedMessage={(saved) => `Gates are reported to ${saved.owner}/${saved.repo}.`}
      removeQuestion="Stop reporting quality gates to GitHub? The stored token is deleted."
      fields={[
        {
          name: "owner",
          label: "Owner",
          required: true,
          maxLength: 39,
          placeholder: "acme",
          value: (g) => g?.owner,
        },
        {
          name: "repo",
          label: "Repository",
          required: true,
          maxLength: 100,
          placeholder: "shop",
          value: (g) => g?.repo,
        },
      ]}
      token={{ name: "token", noun: "token", minLength: 20, maxLength: 512 }}
    />
  );
}
