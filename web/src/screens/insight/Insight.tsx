import { useId, useMemo } from "react";
import { InProject, Page } from "../../components/Page.tsx";
import { ProjectGate } from "../../components/ProjectGate.tsx";
import { setQuery, useQuery } from "../../router.ts";
import { Dora } from "./Dora.tsx";
import { Roi } from "./Roi.tsx";

const DAY = 86_400_000;
const WINDOWS = [28, 90, 180] as const;

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
          <div className="field">
            <label htmlFor={`${id}-days`}>Window</label>
            <select
              id={`${id}-days`}
              value={days}
              onChange={(e) => setQuery({ days: e.target.value === "28" ? null : e.target.value })}
            >
              {WINDOWS.map((d) => (
                <option key={d} value={d}>
                  Last {d} days
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-scope`}>DORA for</label>
            <select
              id={`${id}-scope`}
              value={scope}
              onChange={(e) => setQuery({ scope: e.target.value === "org" ? "org" : null })}
            >
              <option value="project">This project</option>
              <option value="org">The whole organisation</option>
            </select>
          </div>
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
