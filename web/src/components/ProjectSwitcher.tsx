import { useState } from "react";
import { useAppState } from "../app-state.tsx";
import { NewProjectDialog } from "./NewProjectDialog.tsx";

/** The project sessions are listed in; the first one is picked when none is chosen yet. */
export function ProjectSwitcher() {
  const { projects, projectId, switchProject } = useAppState();
  const [creating, setCreating] = useState(false);
  const items = projects ?? [];
  return (
    <div className="switcher">
      <label htmlFor="project-switcher">Project</label>
      <div className="switcher-row">
        <select
          id="project-switcher"
          value={projectId ?? ""}
          onChange={(e) => switchProject(e.target.value || null)}
          disabled={items.length === 0}
        >
          {items.length === 0 && <option value="">{projects ? "No projects yet" : "Loading…"}</option>}
          {items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn-icon"
          onClick={() => setCreating(true)}
          aria-label="New project"
          title="New project"
        >
          +
        </button>
      </div>
      <NewProjectDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
