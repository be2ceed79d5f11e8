import type { ReactNode } from "react";

/**
 * A sidebar switcher: a labelled `<select>` of what the dashboard works in, and a "+" button that starts a
 * new one (its dialog comes as `children`). With `empty`, an empty list shows that text, disabled.
 */
export function Switcher({
  id,
  label,
  value,
  options,
  onChange,
  empty,
  newLabel,
  onNew,
  children,
}: {
  id: string;
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
  empty?: string;
  /** The "+" button's accessible name and tooltip. */
  newLabel: string;
  onNew: () => void;
  children: ReactNode;
}) {
  const none = empty !== undefined && options.length === 0;
  return (
    <div className="switcher">
      <label htmlFor={id}>{label}</label>
      <div className="switcher-row">
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={none}>
          {none && <option value="">{empty}</option>}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <button type="button" className="btn-icon" onClick={onNew} aria-label={newLabel} title={newLabel}>
          +
        </button>
      </div>
      {children}
    </div>
  );
}
