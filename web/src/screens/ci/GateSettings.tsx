import { type FormEvent, useId, useState } from "react";
import { ciApi, type GateRules } from "../../api-ci.ts";
import { useAppState } from "../../app-state.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatRelative } from "../../components/format.ts";
import {
  CheckField,
  Field,
  PercentField,
  readNumber,
  readPercent,
  SaveButton,
} from "../../components/forms.tsx";
import { Announce, ReadOnlyNote } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { useAsync } from "../../components/useAsync.ts";
import { GithubSettings } from "../settings/GithubSettings.tsx";

/** The project's quality-gate rules and its GitHub reporting. */
export function GateSettings({ projectId }: { projectId: string }) {
  const { can } = useAppState();
  return (
    <div className="settings-grid">
      <GateRulesForm projectId={projectId} writable={can("projects:write")} />
      {can("integrations:manage") ? (
        <GithubSettings projectId={projectId} />
      ) : (
        <section className="card stack">
          <h2>GitHub</h2>
          <ReadOnlyNote permission="integrations:manage" what="the GitHub integration" />
        </section>
      )}
    </div>
  );
}

function GateRulesForm({ projectId, writable }: { projectId: string; writable: boolean }) {
  const rules = useAsync(() => ciApi.gateRules(projectId), [projectId]);
  const [message, setMessage] = useState("");
  const action = useAction();
  const id = useId();

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const on = (name: string) => form.get(name) === "on";
    const next: Omit<GateRules, "updatedAt"> = {
      minPassRate: readPercent(form, "minPassRate"),
      noNewFailures: on("noNewFailures"),
      noBrokenTests: on("noBrokenTests"),
      maxHealsBeforeWarning: readNumber(form, "maxHealsBeforeWarning"),
      autoQuarantine: on("autoQuarantine"),
      releaseAfterPasses: readNumber(form, "releaseAfterPasses"),
    };
    setMessage("");
    return action.submit(async () => {
      await ciApi.saveGateRules(projectId, next);
      setMessage("Gate rules saved. They apply to the next uploaded run.");
      rules.reload();
    });
  }

  const r = rules.data;
  return (
    <form className="card stack" onSubmit={save} aria-labelledby={`${id}-h`}>
      <div>
        <h2 id={`${id}-h`}>Quality gate</h2>
        <p className="muted small">
          {r?.updatedAt ? `Last changed ${formatRelative(r.updatedAt)}.` : "Shifty's defaults apply."} Fail if
          any rule fails; warn if any warns.
        </p>
      </div>
      <ErrorNotice error={rules.error} />
      {!r ? (
        rules.loading && <Spinner label="Loading gate rules" />
      ) : (
        <fieldset className="stack plain" disabled={!writable}>
          <legend className="visually-hidden">Rules</legend>
          <PercentField
            id={`${id}-pass`}
            label="Minimum pass rate (%)"
            name="minPassRate"
            share={r.minPassRate}
            placeholder="off"
            hint="Passed and flaky over tests that ran, quarantined ones aside. Empty turns the rule off."
          />
          <CheckField
            name="noNewFailures"
            defaultChecked={r.noNewFailures}
            label="No new failures"
            hint="compared with the base branch's latest run"
          />
          <CheckField
            name="noBrokenTests"
            defaultChecked={r.noBrokenTests}
            label="No broken tests"
            hint="a test whose last 3 results all failed"
          />
          <Field id={`${id}-heals`} label="Warn above this many heals in a run">
            <input
              id={`${id}-heals`}
              name="maxHealsBeforeWarning"
              type="number"
              min={0}
              max={100000}
              step={1}
              defaultValue={r.maxHealsBeforeWarning ?? ""}
              placeholder="off"
            />
          </Field>
          <CheckField
            name="autoQuarantine"
            defaultChecked={r.autoQuarantine}
            label="Quarantine flaky tests automatically"
            hint="quarantined tests never fail the gate"
          />
          <Field id={`${id}-release`} label="Release from quarantine after clean passes">
            <input
              id={`${id}-release`}
              name="releaseAfterPasses"
              type="number"
              min={1}
              max={1000}
              step={1}
              defaultValue={r.releaseAfterPasses ?? ""}
              placeholder="manual release only"
            />
          </Field>
          {writable && <SaveButton busy={action.busy}>Save gate rules</SaveButton>}
        </fieldset>
      )}
      {!writable && <ReadOnlyNote permission="projects:write" what="changing the gate rules" />}
      <ErrorNotice error={action.error} />
      <Announce message={message} />
    </form>
  );
}
