import { ApiProblem } from "../api.ts";

/** A failed call, said plainly; validation errors list their fields; a 5xx quotes the request id. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const problem = error instanceof ApiProblem ? error : null;
  return (
    <div className="notice notice-error" role="alert">
      <strong>{problem ? problem.title : "Something went wrong"}</strong> <span>{message}</span>
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

export function Spinner({ label = "Loading" }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  );
}
