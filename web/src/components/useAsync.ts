import { useCallback, useEffect, useMemo, useRef, useState } from "react";

export type AsyncState<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

/**
 * Hands each piece of work's answer to its callbacks only while no newer piece has started: `start` begins
 * a newer one (older answers are dropped from then on), `join` adds to the newest without superseding it.
 */
export function useLatest() {
  const generation = useRef(0);
  return useMemo(() => {
    function settle<T>(
      mine: number,
      work: Promise<T>,
      done: (value: T) => void,
      failed: (failure: unknown) => void,
    ) {
      work.then(
        (value) => mine === generation.current && done(value),
        (failure: unknown) => mine === generation.current && failed(failure),
      );
    }
    return {
      start: <T>(work: Promise<T>, done: (value: T) => void, failed: (failure: unknown) => void) =>
        settle(++generation.current, work, done, failed),
      join: <T>(work: Promise<T>, done: (value: T) => void, failed: (failure: unknown) => void) =>
        settle(generation.current, work, done, failed),
    };
  }, []);
}

/** Runs `load` when `deps` change (and on reload()); a stale answer never overwrites a newer one. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useLatest();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload
  useEffect(() => {
    setLoading(true);
    latest.start(
      load(),
      (value) => {
        setData(value);
        setError(null);
        setLoading(false);
      },
      (failure) => {
        setError(failure);
        setLoading(false);
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
