import { useEffect, useState } from "react";
import { ApiProblem } from "../api.ts";

/** fetch() rejects with a TypeError when the request never reached the server (offline, DNS, refused). */
export function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError || (typeof navigator !== "undefined" && navigator.onLine === false);
}

/**
 * A failed call, said plainly; validation errors list their fields; a 5xx quotes the request id. A call
 * that never reached the server says so (the offline banner says why). `onRetry` adds a Retry button.
 */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error : null;
  const unreachable = !problem && isNetworkError(error);
  const message = unreachable
    ? "Shifty could not be reached. Check the connection and try again."
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <div className="notice notice-error" role="alert">
      <strong>{problem ? problem.title : unreachable ? "Not loaded" : "Something went wrong"}</strong>{" "}
      <span>{message}</span>
      {problem && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.path + e.message}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
      {problem && problem.status >= 500 && problem.requestId && (
        <div className="muted">Request id {problem.requestId}</div>
      )}
      {onRetry && (
        <div>
          <button type="button" className="btn btn-secondary notice-retry" onClick={onRetry}>
            Retry
          </button>
        </div>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}

/**
 * What shows while something loads: grey skeleton lines in the shape of a list, not a spinner. The label
 * is for screen readers (a polite status), so the loading is announced once.
 */
export function Spinner({ label = "Loading", lines = 3 }: { label?: string; lines?: number }) {
  return (
    <div className="skeleton" role="status" aria-busy="true">
      <span className="visually-hidden">{label}…</span>
      {Array.from({ length: lines }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines are identical placeholders
        <span key={i} className="skeleton-line" aria-hidden="true" />
      ))}
    </div>
  );
}

/** Whether the browser believes it is online, kept current by the online/offline events. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return online;
}

/** One banner for the whole app while offline, so screens do not each blame themselves. */
export function OfflineBanner() {
  const online = useOnline();
  if (online) return null;
  return (
    <div className="offline-banner" role="status" data-testid="offline-banner">
      <strong>You are offline.</strong> What is shown may be out of date; it refreshes when the connection
      returns.
    </div>
  );
}
