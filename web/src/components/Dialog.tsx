import { type FormEvent, type ReactNode, useEffect, useId, useRef } from "react";
import { ErrorNotice } from "./Feedback.tsx";
import { Field } from "./forms.tsx";
import { useAction } from "./useAction.ts";

/** A native modal <dialog>: focus trap, Escape to close and the backdrop come from the browser. */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // React's autoFocus ran while the dialog was still closed, and showModal then focused the first
      // focusable element (Close): the content's first field takes the focus instead.
      const fields = dialog.querySelectorAll<HTMLElement>("input, select, textarea");
      [...fields].find((field) => !field.closest(".dialog-head"))?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-label={title} onClose={onClose}>
      <div className="dialog-head">
        <h2>{title}</h2>
        <button type="button" className="btn-icon" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      {open && children}
    </dialog>
  );
}

/**
 * A dialog whose form creates something named: a required Name, the `children` fields, the last error and
 * the submit button. `onCreate` gets the form's data; the dialog closes once it resolves. The form mounts
 * with the dialog, so it opens empty and without an old error.
 */
export function CreateDialog({
  open,
  title,
  submitLabel,
  onClose,
  onCreate,
  children,
}: {
  open: boolean;
  title: string;
  submitLabel: string;
  onClose: () => void;
  onCreate: (form: FormData) => Promise<void>;
  children?: ReactNode;
}) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <CreateForm submitLabel={submitLabel} onCreate={onCreate} onCreated={onClose}>
        {children}
      </CreateForm>
    </Dialog>
  );
}

function CreateForm({
  submitLabel,
  onCreate,
  onCreated,
  children,
}: {
  submitLabel: string;
  onCreate: (form: FormData) => Promise<void>;
  onCreated: () => void;
  children: ReactNode;
}) {
  const action = useAction();
  const id = useId();

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    return action.run(async () => {
      await onCreate(form);
      onCreated();
    });
  }

  return (
    <form onSubmit={create} className="stack">
      <Field id={`${id}-name`} label="Name">
        {/* biome-ignore lint/a11y/noAutofocus: the first field of a modal dialog the user just opened (the rule allows it inside <dialog>, which this form always is) */}
        <input id={`${id}-name`} name="name" required maxLength={100} autoFocus />
      </Field>
      {children}
      <ErrorNotice error={action.error} />
      <div className="actions">
        <button type="submit" className="btn btn-primary">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
