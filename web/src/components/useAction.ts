import { useCallback, useState } from "react";

/**
 * The error (and busy flag) of the actions a screen runs: `run` clears the last error, awaits the work and
 * keeps its failure for an `ErrorNotice`; `submit` does the same and marks the screen busy meanwhile.
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
  return { error, setError, busy, run, submit };
}
