import { type FormEvent, useId, useState } from "react";
import { insightApi, type RoiAssumptionsState, type Window } from "../../api-insight.ts";
import { useAppState } from "../../app-state.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { Field, SaveButton } from "../../components/forms.tsx";
import { Announce } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { useAsync } from "../../components/useAsync.ts";

const num = (value: number, digits = 1) =>
  value.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const money = (value: number, currency: string) =>
  value.toLocaleString(undefined, { style: "currency", currency, maximumFractionDigits: 2 });

/** What Shifty saved the project over the window, each figure with the assumption it used. */
export function Roi({ projectId, window }: { projectId: string; window: Window }) {
  const id = useId();
  const roi = useAsync(() => insightApi.roi(projectId, window), [projectId, window]);
  const assumptions = useAsync(() => insightApi.assumptions(), []);
  const r = roi.data;
  return (
    <section aria-labelledby={`${id}-h`} className="stack">
      <h2 id={`${id}-h`}>Return on investment</h2>
      <ErrorNotice error={roi.error} />
      {!r ? (
        !roi.error && <Spinner label="Loading ROI" />
      ) : (
        <dl className="stat-grid roi-grid" data-testid="roi">
          <div className="card stat">
            <dt className="stat-label">Heals accepted</dt>
            <dd className="stat-value">{r.heals.accepted}</dd>
            <dd className="muted small">
              {num(r.heals.hoursSaved)} engineer hours saved at {r.heals.assumptions.minutesPerHeal} minutes
              per heal
            </dd>
          </div>
          <div className="card stat">
            <dt className="stat-label">Runs not re-run</dt>
            <dd className="stat-value">{r.quarantine.runsNotRerun}</dd>
            <dd className="muted small">
              only quarantined tests failed: {num(r.quarantine.ciMinutesSaved)} CI minutes,{" "}
              {money(r.quarantine.costSaved, r.quarantine.assumptions.currency)} saved at{" "}
              {money(r.quarantine.assumptions.costPerCiMinute, r.quarantine.assumptions.currency)} per minute
            </dd>
          </div>
          <div className="card stat">
            <dt className="stat-label">CI runs</dt>
            <dd className="stat-value">{r.ci.runs}</dd>
            <dd className="muted small">
              {num(r.ci.minutes)} minutes, {money(r.ci.cost, r.ci.assumptions.currency)} at{" "}
              {money(r.ci.assumptions.costPerCiMinute, r.ci.assumptions.currency)} per minute
            </dd>
          </div>
          <div className="card stat">
            <dt className="stat-label">Findings</dt>
            <dd className="stat-value">{r.findings.total}</dd>
            <dd className="muted small">
              {Object.entries(r.findings.bySeverity)
                .map(([severity, n]) => `${n} ${severity}`)
                .join(", ") || "in manual sessions"}
            </dd>
          </div>
          <div className="card stat">
            <dt className="stat-label">Generated tests kept</dt>
            <dd className="stat-value">{r.testsGeneratedKept.value}</dd>
            <dd className="muted small">{r.testsGeneratedKept.note}</dd>
          </div>
          <div className="card stat">
            <dt className="stat-label">AI spend</dt>
            <dd className="stat-value">{r.aiSpend.value}</dd>
            <dd className="muted small">{r.aiSpend.note}</dd>
          </div>
        </dl>
      )}
      <ErrorNotice error={assumptions.error} />
      {assumptions.data && (
        <Assumptions
          state={assumptions.data}
          onSaved={() => {
            assumptions.reload();
            roi.reload();
          }}
        />
      )}
    </section>
  );
}

/** The assumptions entered as non-negative numbers (the currency is a code, entered apart). */
const AMOUNTS = [
  { name: "minutesPerHeal", suffix: "mph", label: "Minutes saved per accepted heal", max: 480 },
  { name: "costPerCiMinute", suffix: "cpm", label: "Cost per CI minute", max: 100 },
] as const;

/** A required, non-negative number input of the assumptions form. */
function AmountField(props: {
  id: string;
  name: string;
  label: string;
  max: number;
  value: number;
  readOnly: boolean;
}) {
  return (
    <Field id={props.id} label={props.label}>
      <input
        id={props.id}
        name={props.name}
        type="number"
        min={0}
        max={props.max}
        step="any"
        required
        defaultValue={props.value}
        readOnly={props.readOnly}
      />
    </Field>
  );
}

/** The organisation's assumptions: editable with `org:manage`, shown read only otherwise. */
function Assumptions({ state, onSaved }: { state: RoiAssumptionsState; onSaved: () => void }) {
  const id = useId();
  const { can } = useAppState();
  const action = useAction();
  const [message, setMessage] = useState("");
  const writable = can("org:manage");

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setMessage("");
    void action.submit(async () => {
      await insightApi.setAssumptions({
        minutesPerHeal: Number(form.get("minutesPerHeal")),
        costPerCiMinute: Number(form.get("costPerCiMinute")),
        currency: String(form.get("currency")).trim().toUpperCase(),
      });
      setMessage("Assumptions saved; the figures above use them now.");
      onSaved();
    });
  }

  return (
    <form className="card stack-sm" onSubmit={save} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Assumptions</h3>
      <p className="muted small">
        {state.source === "default"
          ? "Shifty's defaults: nobody in this organisation has set them yet."
          : "Set for this organisation; they apply to every project."}
        {!writable && " Changing them needs the org:manage permission."}
      </p>
      <ErrorNotice error={action.error} />
      <div className="inline-form">
        {AMOUNTS.map((a) => (
          <AmountField
            key={a.name}
            id={`${id}-${a.suffix}`}
            name={a.name}
            label={a.label}
            max={a.max}
            value={state[a.name]}
            readOnly={!writable}
          />
        ))}
        <Field id={`${id}-cur`} label="Currency">
          <input
            id={`${id}-cur`}
            name="currency"
            required
            pattern="[A-Za-z]{3}"
            maxLength={3}
            size={4}
            defaultValue={state.currency}
            readOnly={!writable}
          />
        </Field>
        {writable && <SaveButton busy={action.busy}>Save assumptions</SaveButton>}
      </div>
      <Announce message={message} />
    </form>
  );
}
