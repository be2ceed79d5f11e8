import { type FormEvent, useId, useState } from "react";
import { ApiProblem } from "../../api.ts";
import { ciApi, type GateRules } from "../../api-ci.ts";
import { useAppState } from "../../app-state.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatRelative } from "../../components/format.ts";
import { Announce, ReadOnlyNote } from "../../components/SubNav.tsx";
import { useAsync } from "../../components/useAsync.ts";

/** The project's quality-gate rules and its GitHub reporting. */
export function GateSettings({ projectId }: { projectId: string }) {
  const { can } = useAppState();
  return (
    <div className="settings-grid">
      <GateRulesForm projectId={projectId} writable={can("projects:write")} />
      {can("integrations:manage") ? (
        <GithubForm projectId={projectId} />
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
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const on = (name: string) => form.get(name) === "on";
    const optionalNumber = (name: string) => {
      const raw = String(form.get(name) ?? "").trim();
      return raw === "" ? null : Number(raw);
    };
    const minPass = optionalNumber("minPassRate");
    const next: Omit<GateRules, "updatedAt"> = {
      minPassRate: minPass === null ? null : Math.round(minPass * 10) / 1000,
      noNewFailures: on("noNewFailures"),
      noBrokenTests: on("noBrokenTests"),
      maxHealsBeforeWarning: optionalNumber("maxHealsBeforeWarning"),
      autoQuarantine: on("autoQuarantine"),
      releaseAfterPasses: optionalNumber("releaseAfterPasses"),
    };
    setBusy(true);
    setError(null);
    setMessage("");
    try {
      await ciApi.saveGateRules(projectId, next);
      setMessage("Gate rules saved. They apply to the next uploaded run.");
      rules.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
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
          <div className="field">
            <label htmlFor={`${id}-pass`}>Minimum pass rate (%)</label>
            <input
              id={`${id}-pass`}
              name="minPassRate"
              type="number"
              min={0}
              max={100}
              step={0.1}
              defaultValue={r.minPassRate === null ? "" : Math.round(r.minPassRate * 1000) / 10}
              placeholder="off"
              aria-describedby={`${id}-pass-hint`}
            />
            <small id={`${id}-pass-hint`} className="muted">
              Passed and flaky over tests that ran, quarantined ones aside. Empty turns the rule off.
            </small>
          </div>
          <label className="check">
            <input type="checkbox" name="noNewFailures" defaultChecked={r.noNewFailures} />
            <span>
              No new failures{" "}
              <span className="muted small block">compared with the base branch's latest run</span>
            </span>
          </label>
          <label className="check">
            <input type="checkbox" name="noBrokenTests" defaultChecked={r.noBrokenTests} />
            <span>
              No broken tests{" "}
              <span className="muted small block">a test whose last 3 results all failed</span>
            </span>
          </label>
          <div className="field">
            <label htmlFor={`${id}-heals`}>Warn above this many heals in a run</label>
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
          </div>
          <label className="check">
            <input type="checkbox" name="autoQuarantine" defaultChecked={r.autoQuarantine} />
            <span>
              Quarantine flaky tests automatically
              <span className="muted small block">quarantined tests never fail the gate</span>
            </span>
          </label>
          <div className="field">
            <label htmlFor={`${id}-release`}>Release from quarantine after clean passes</label>
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
          </div>
          {writable && (
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? "Saving…" : "Save gate rules"}
            </button>
          )}
        </fieldset>
      )}
      {!writable && <ReadOnlyNote permission="projects:write" what="changing the gate rules" />}
      <ErrorNotice error={error} />
      <Announce message={message} />
    </form>
  );
}

function GithubForm({ projectId }: { projectId: string }) {
  const current = useAsync(
    () =>
      ciApi.github(projectId).catch((failure: unknown) => {
        if (failure instanceof ApiProblem && failure.status === 404) return null;
        throw failure;
      }),
    [projectId],
  );
  const [message, setMessage] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setError(null);
    setMessage("");
    try {
      const saved = await ciApi.saveGithub(projectId, {
        owner: String(form.get("owner") ?? "").trim(),
        repo: String(form.get("repo") ?? "").trim(),
        token: String(form.get("token") ?? "").trim(),
      });
      formElement.reset();
      setMessage(`Gates are reported to ${saved.owner}/${saved.repo}.`);
      current.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!confirm("Stop reporting quality gates to GitHub? The stored token is deleted.")) return;
    setError(null);
    setMessage("");
    try {
      await ciApi.removeGithub(projectId);
      setMessage("GitHub reporting removed.");
      current.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  const g = current.data;
  return (
    <form className="card stack" onSubmit={save} aria-labelledby={`${id}-h`}>
      <div>
        <h2 id={`${id}-h`}>GitHub</h2>
        <p className="muted small">
          With a commit on the run, Shifty posts the gate as a check run (or a commit status for tokens that
          are not a GitHub App's).
        </p>
      </div>
      <ErrorNotice error={current.error} />
      {current.loading && current.data === undefined ? (
        <Spinner label="Loading the integration" />
      ) : g ? (
        <div className="connected" data-testid="github-current">
          <span>
            Reporting to{" "}
            <strong>
              {g.owner}/{g.repo}
            </strong>{" "}
            with token <code className="nowrap">{g.token}</code>
            <span className="muted small block">updated {formatRelative(g.updatedAt)}</span>
          </span>
          <button type="button" className="btn btn-danger btn-small" onClick={remove}>
            Remove
          </button>
        </div>
      ) : (
        <p className="muted">Not connected.</p>
      )}
      <div className="field-row" key={g?.updatedAt ?? "new"}>
        <div className="field">
          <label htmlFor={`${id}-owner`}>Owner</label>
          <input
            id={`${id}-owner`}
            name="owner"
            required
            maxLength={39}
            defaultValue={g?.owner}
            placeholder="acme"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-repo`}>Repository</label>
          <input
            id={`${id}-repo`}
            name="repo"
            required
            maxLength={100}
            defaultValue={g?.repo}
            placeholder="shop"
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-token`}>{g ? "New token" : "Token"}</label>
        <input
          id={`${id}-token`}
          name="token"
          type="password"
          required
          minLength={20}
          maxLength={512}
          autoComplete="off"
          aria-describedby={`${id}-token-hint`}
        />
        <small id={`${id}-token-hint`} className="muted">
          Write-only: stored encrypted, never shown again (only its last 4 characters).
        </small>
      </div>
      <ErrorNotice error={error} />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? "Saving…" : g ? "Replace" : "Connect GitHub"}
      </button>
      <Announce message={message} />
    </form>
  );
}
