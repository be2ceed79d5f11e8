import { useState } from "react";
import { useAppState } from "../app-state.tsx";
import { NewProjectDialog } from "./NewProjectDialog.tsx";
import { useProjectOptions } from "./ProjectGate.tsx";
import { Switcher } from "./Switcher.tsx";

/** The project sessions are listed in; the first one is picked when none is chosen yet. */
export function ProjectSwitcher() {
  const { projects, projectId, switchProject } = useAppState();
  const [creating, setCreating] = useState(false);
  const options = useProjectOptions();
  return (
    <Switcher
      id="project-switcher"
      label="Project"
      value={projectId ?? ""}
      options={options}
      onChange={(next) => switchProject(next || null)}
      empty={projects ? "No projects yet" : "Loading…"}
      newLabel="New project"
      onNew={() => setCreating(true)}
    >
      <NewProjectDialog open={creating} onClose={() => setCreating(false)} />
    </Switcher>
  );
}
