import type { ReactNode } from "react";

/** One figure in a `.stat-grid`: its label, the value large, then `children` (a bar) and a muted detail. */
export function Stat({
  label,
  value,
  detail,
  testId,
  children,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <div className="card stat" data-testid={testId}>
      <span className="stat-label">{label}</span>
      <strong className="stat-value">{value}</strong>
      {children}
      {detail && <span className="muted small">{detail}</span>}
    </div>
  );
}
