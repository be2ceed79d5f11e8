import { useEffect, useRef } from "react";
import { type Query, send } from "../api.ts";

/**
 * Live updates by conditional polling (docs/live-updates.md): while the tab is visible, asks for `path`
 * every `intervalMs` with If-None-Match; the server answers 304 (no body) until the list changes, and a
 * new ETag calls `onChange` (which reloads the list the screen shows). Failures are left to the screen's
 * own load to report; polling simply tries again on the next tick.
 */
export function useChangePoll(path: string, query: Query, onChange: () => void, intervalMs = 1000) {
  const changed = useRef(onChange);
  changed.current = onChange;
  const key = JSON.stringify(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query's content
  useEffect(() => {
    let etag: string | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (document.visibilityState === "visible") {
        try {
          const res = await send("GET", path, { query, ifNoneMatch: etag ?? undefined });
          const next = res.headers.get("ETag");
          if (res.status !== 304 && next !== etag) {
            if (etag !== null && !stopped) changed.current();
            etag = next;
          }
        } catch {
          // offline or refused: the next tick tries again
        }
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [path, key, intervalMs]);
}
