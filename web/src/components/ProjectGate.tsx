import { type ReactNode, useState } from "react";
import { useAppState } from "../app-state.tsx";
import { EmptyState, ErrorNotice, Spinner } from "./Feedback.tsx";
import { SelectField } from "./forms.tsx";
import { NewProjectDialog } from "./NewProjectDialog.tsx";

/**
 * Renders a project's screen once the current project is known; offers to create one when there is none
 * (`emptyTitle` and `emptyText` say what a project holds on this screen).
 */
export function ProjectGate({
  emptyTitle = "Create a project first",
  emptyText = "Runs, heals and their settings all live in a project.",
  children,
}: {
  emptyTitle?: string;
  emptyText?: string;
  children: (projectId: string) => ReactNode;
}) {
  const { projectId, projects, projectsError } = useAppState();
  const [creating, setCreating] = useState(false);
  if (projectsError) return <ErrorNotice error={projectsError} />;
  if (!projects) return <Spinner label="Loading projects" />;
  if (!projectId)
    return (
      <>
        <EmptyState title={emptyTitle}>
          <p>{emptyText}</p>
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            New project
          </button>
        </EmptyState>
        <NewProjectDialog open={creating} onClose={() => setCreating(false)} />
      </>
    );
  // Keyed by project: switching projects starts the screen afresh (filters, pages, forms).
  return <div key={projectId}>{children(projectId)}</div>;
}

/** The current project's name, for headings and captions. */
export function useProjectName(): (projectId: string | null) => string {
  const { projects } = useAppState();
  return (projectId) =>
    projectId === null ? "—" : (projects?.find((p) => p.id === projectId)?.name ?? projectId);
}

/** The organisation's projects as the choices of a select: the id, labelled by the name. */
export function useProjectOptions(): { value: string; label: string }[] {
  const { projects } = useAppState();
  return (projects ?? []).map((p) => ({ value: p.id, label: p.name }));
}

/** A form's Project select over the organisation's projects; `none` names the empty first choice. */
export function ProjectField({ id, name, none }: { id: string; name: string; none: string }) {
  const options = useProjectOptions();
  return <SelectField id={id} label="Project" name={name} options={options} none={none} />;
}
