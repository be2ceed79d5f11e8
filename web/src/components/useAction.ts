import { type FormEvent, useCallback, useState } from "react";
import { readForm, type SubmittedForm } from "./forms.tsx";

/**
 * The error (and busy flag) of the actions a screen runs: `run` clears the last error, awaits the work and
 * keeps its failure for an `ErrorNotice`; `submit` does the same and marks the screen busy meanwhile;
 * `submitForm` submits a form's fields (read with `readForm` before anything awaits) and clears the form
 * once the work succeeds.
 */
export function useAction() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    }
  }, []);
  const submit = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }, []);
  const submitForm = useCallback(
    (event: FormEvent<HTMLFormElement>, work: (fields: SubmittedForm) => Promise<void>) => {
      const element = event.currentTarget;
      const fields = readForm(event);
      return submit(async () => {
        await work(fields);
        element.reset();
      });
    },
    [submit],
  );
  return { error, setError, busy, run, submit, submitForm };
}
