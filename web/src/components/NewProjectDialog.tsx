import { useId } from "react";
import { api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { CreateDialog } from "./Dialog.tsx";
import { Field } from "./forms.tsx";

export function NewProjectDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { addProject } = useAppState();
  const id = useId();
  return (
    <CreateDialog
      open={open}
      title="New project"
      submitLabel="Create project"
      onClose={onClose}
      onCreate={async (form) => {
        const project = await api.createProject({
          name: String(form.get("name") ?? ""),
          description: String(form.get("description") ?? "") || undefined,
        });
        addProject(project);
      }}
    >
      <Field id={`${id}-description`} label="Description" optional>
        <textarea id={`${id}-description`} name="description" maxLength={2000} rows={3} />
      </Field>
    </CreateDialog>
  );
}
