import { useId, useState } from "react";
import { type AttemptFilter, type HealAttempt, type HealOutcome, healingApi } from "../../api-healing.ts";
import { pct } from "../../components/charts.tsx";
import { Table } from "../../components/DataTable.tsx";
import { formatDateTime } from "../../components/format.ts";
import {
  Field,
  FilterForm,
  SelectField,
  type SubmittedForm,
  TimeRangeFields,
} from "../../components/forms.tsx";
import { PagedView } from "../../components/PagedView.tsx";
import { ProjectField, useProjectName } from "../../components/ProjectGate.tsx";
import { usePaged } from "../../components/usePaged.ts";

const OUTCOMES: { value: HealOutcome; label: string }[] = [
  { value: "healed", label: "Healed" },
  { value: "abstained", label: "Abstained" },
  { value: "unreviewed", label: "Healed, not reviewed" },
  { value: "suggested", label: "Abstained, suggestion to review" },
  { value: "accepted", label: "Accepted" },
  { value: "rejected", label: "Rejected" },
];

/** Every heal call, newest first, filtered by project, outcome, strategy and time (GET /v1/heal/attempts). */
export function Attempts() {
  const [filter, setFilter] = useState<AttemptFilter>({});
  const attempts = usePaged((cursor) => healingApi.attempts({ ...filter, cursor, limit: 50 }), [filter]);
  const projectName = useProjectName();
  const id = useId();

  function apply({ text, time }: SubmittedForm) {
    setFilter({
      projectId: text("projectId"),
      outcome: text("outcome") as HealOutcome | undefined,
      strategy: text("strategy"),
      from: time("from"),
      to: time("to"),
    });
  }

  return (
    <div>
      <h2 className="visually-hidden">Attempts</h2>
      <FilterForm label="Filter heal attempts" onApply={apply} onClear={() => setFilter({})}>
        <ProjectField id={`${id}-project`} name="projectId" none="All projects" />
        <SelectField id={`${id}-outcome`} label="Outcome" name="outcome" options={OUTCOMES} none="Any" />
        <Field id={`${id}-strategy`} label="Strategy">
          <input id={`${id}-strategy`} name="strategy" maxLength={64} placeholder="ranked" />
        </Field>
        <TimeRangeFields id={id} />
      </FilterForm>

      <PagedView
        paged={attempts}
        loadingLabel="Loading attempts"
        emptyTitle="No attempts match these filters"
        moreLabel="Load older attempts"
      >
        {(items) => (
          <Table
            caption="Heal attempts, newest first"
            headers={["When", "Selector → result", "Outcome", "Confidence", "Strategy", "Project", "Review"]}
          >
            {items.map((a) => (
              <AttemptRow key={a.id} attempt={a} project={projectName(a.projectId)} />
            ))}
          </Table>
        )}
      </PagedView>
    </div>
  );
}

function AttemptRow({ attempt: a, project }: { attempt: HealAttempt; project: string }) {
  const result = a.resultSelector ?? (a.resultIndex !== null ? `candidate #${a.resultIndex}` : null);
  return (
    <tr>
      <td className="nowrap">{formatDateTime(a.createdAt)}</td>
      <td className="selector-cell">
        <code>{a.selector ?? `${a.form} form`}</code>
        {result && (
          <>
            {" "}
            <span aria-hidden="true">→</span>
            <span className="visually-hidden">healed to</span> <code>{result}</code>
          </>
        )}
        <span className="muted small block">
          {a.form} · {a.candidateCount ? `${a.candidateCount} candidates · ` : ""}
          {a.latencyMs.toFixed(1)} ms · model {a.modelVersion}
        </span>
      </td>
      <td>
        <span className={`badge ${a.healed ? "badge-active" : ""}`}>{a.healed ? "healed" : "abstained"}</span>
      </td>
      <td>{pct(a.confidence)}</td>
      <td>
        <code>{a.strategy}</code>
      </td>
      <td>{project}</td>
      <td>
        {a.feedback ? (
          <span className={`badge ${a.feedback.accepted ? "badge-accepted" : "badge-revoked"}`}>
            {a.feedback.accepted ? "accepted" : "rejected"}
          </span>
        ) : (
          <span className="muted small">—</span>
        )}
      </td>
    </tr>
  );
}
