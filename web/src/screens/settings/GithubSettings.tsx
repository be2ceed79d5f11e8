import { useId } from "react";
import type { GithubIntegration } from "../../api-ci.ts";
import { integrationsApi } from "../../api-integrations.ts";
import { Field } from "../../components/forms.tsx";
import { field, IntegrationCard, useIntegration } from "./IntegrationCard.tsx";

/** GitHub: where a run's quality gate is reported (check run, or commit status for non-App tokens). */
export function GithubSettings({ projectId }: { projectId: string }) {
  const state = useIntegration(() => integrationsApi.github(projectId), [projectId]);
  const id = useId();
  return (
    <IntegrationCard<GithubIntegration>
      name="GitHub"
      lead="With a commit on the run, Shifty posts the quality gate to this repository as a check run (or a commit status)."
      state={state}
      summary={(g) => (
        <>
          Reporting to{" "}
          <strong>
            {g.owner}/{g.repo}
          </strong>{" "}
          with token <code className="nowrap">{g.token}</code>
        </>
      )}
      onSave={async (form) => {
        const saved = await integrationsApi.saveGithub(projectId, {
          owner: field(form, "owner"),
          repo: field(form, "repo"),
          token: field(form, "token"),
        });
        return `Gates are reported to ${saved.owner}/${saved.repo}.`;
      }}
      onTest={() => integrationsApi.testGithub(projectId)}
      onRemove={() => integrationsApi.removeGithub(projectId)}
      removeQuestion="Stop reporting quality gates to GitHub? The stored token is deleted."
      token={{ name: "token", noun: "token", minLength: 20, maxLength: 512 }}
    >
      {(g) => (
        <>
          <div className="field-row">
            <Field id={`${id}-owner`} label="Owner">
              <input
                id={`${id}-owner`}
                name="owner"
                required
                maxLength={39}
                defaultValue={g?.owner}
                placeholder="acme"
              />
            </Field>
            <Field id={`${id}-repo`} label="Repository">
              <input
                id={`${id}-repo`}
                name="repo"
                required
                maxLength={100}
                defaultValue={g?.repo}
                placeholder="shop"
              />
            </Field>
          </div>
        </>
      )}
    </IntegrationCard>
  );
}
