import { type FormEvent, useId, useState } from "react";
import { api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { Dialog } from "./Dialog.tsx";
import { ErrorNotice } from "./Feedback.tsx";

export function NewProjectDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { addProject } = useAppState();
  const [error, setError] = useState<unknown>(null);
  const id = useId();

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const project = await api.createProject({
        name: String(form.get("name") ?? ""),
        description: String(form.get("description") ?? "") || undefined,
      });
      addProject(project);
      setError(null);
      onClose();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <Dialog open={open} title="New project" onClose={onClose}>
      <form onSubmit={create} className="stack">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} name="name" required maxLength={100} autoFocus />
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>
            Description <span className="muted">(optional)</span>
          </label>
          <textarea id={`${id}-description`} name="description" maxLength={2000} rows={3} />
        </div>
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" className="btn btn-primary">
            Create project
          </button>
        </div>
      </form>
    </Dialog>
  );
}
