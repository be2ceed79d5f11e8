import { useCallback, useEffect, useRef, useState } from "react";
import type { Page } from "../api.ts";
import { useLatest } from "./useAsync.ts";

export type PagedState<T> = {
  items: T[];
  error: unknown;
  loading: boolean;
  /** True once the first page has arrived (or failed). */
  loaded: boolean;
  hasMore: boolean;
  more: () => void;
  reload: () => void;
};

/**
 * A cursor-paged list (newest first): the first page loads when `deps` change, `more()` appends the next.
 * A stale answer (older deps or reload) never lands on a newer list.
 */
export function usePaged<T>(load: (cursor?: string) => Promise<Page<T>>, deps: unknown[]): PagedState<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [loaded, setLoaded] = useState(false);
  const [tick, setTick] = useState(0);
  const latest = useLatest();
  const loader = useRef(load);
  loader.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload
  useEffect(() => {
    setLoading(true);
    latest.start(
      loader.current(),
      (page) => {
        setItems(page.items);
        setCursor(page.nextCursor);
        setError(null);
        setLoading(false);
        setLoaded(true);
      },
      (failure) => {
        setError(failure);
        setLoading(false);
        setLoaded(true);
      },
    );
  }, [...deps, tick]);

  const more = useCallback(() => {
    if (!cursor) return;
    setLoading(true);
    latest.join(
      loader.current(cursor),
      (page) => {
        setItems((list) => [...list, ...page.items]);
        setCursor(page.nextCursor);
        // A "Load more" that failed before and now succeeded leaves no stale error behind.
        setError(null);
        setLoading(false);
      },
      (failure) => {
        setError(failure);
        setLoading(false);
      },
    );
  }, [cursor, latest]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { items, error, loading, loaded, hasMore: cursor !== null, more, reload };
}
