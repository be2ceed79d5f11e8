import type { ReactNode } from "react";

/** The card that shows a value only once (a key, a secret, a link) until the user says Done. */
export function SecretNotice({
  title,
  onDone,
  live = true,
  children,
}: {
  title: ReactNode;
  onDone: () => void;
  live?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="card secret" role="status" aria-live={live ? "polite" : undefined}>
      <div className="secret-head">
        <strong>{title}</strong>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          Done
        </button>
      </div>
      {children}
    </div>
  );
}
