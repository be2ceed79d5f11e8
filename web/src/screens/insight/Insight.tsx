import { useId, useMemo } from "react";
import { SelectField } from "../../components/forms.tsx";
import { InProject, Page } from "../../components/Page.tsx";
import { ProjectGate } from "../../components/ProjectGate.tsx";
import { setQuery, useQuery } from "../../router.ts";
import { Dora } from "./Dora.tsx";
import { Roi } from "./Roi.tsx";

const DAY = 86_400_000;
const WINDOWS = [28, 90, 180] as const;
const SCOPES = [
  { value: "project", label: "This project" },
  { value: "org", label: "The whole organisation" },
];

/** DORA four keys and ROI over a window of the last 28, 90 or 180 days (kept in the URL: `?days=`). */
export function Insight() {
  const id = useId();
  const query = useQuery();
  const asked = Number(query.get("days"));
  const days = (WINDOWS as readonly number[]).includes(asked) ? asked : 28;
  const scope = query.get("scope") === "org" ? "org" : "project";
  // One window per choice: the end is fixed when the choice is made, so both reports cover the same time.
  const window = useMemo(() => {
    const to = Date.now();
    return { from: to - days * DAY, to };
  }, [days]);
  return (
    <Page
      id="insight-title"
      title="Insight"
      lead={
        <>
          Delivery performance (the DORA four keys) and what Shifty saves
          <InProject />
        </>
      }
      actions={
        <div className="inline-form">
          <SelectField
            id={`${id}-days`}
            label="Window"
            options={WINDOWS.map((d) => ({ value: String(d), label: `Last ${d} days` }))}
            value={String(days)}
            onChange={(next) => setQuery({ days: next === "28" ? null : next })}
          />
          <SelectField
            id={`${id}-scope`}
            label="DORA for"
            options={SCOPES}
            value={scope}
            onChange={(next) => setQuery({ scope: next === "org" ? "org" : null })}
          />
        </div>
      }
    >
      <ProjectGate>
        {(projectId) => (
          <div className="stack-lg">
            <Dora projectId={scope === "org" ? null : projectId} window={window} />
            <Roi projectId={projectId} window={window} />
          </div>
        )}
      </ProjectGate>
    </Page>
  );
}
