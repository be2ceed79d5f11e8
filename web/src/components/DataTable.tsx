import type { ReactNode } from "react";
import { keyboardScrollable } from "./scroll.ts";

/** One column of a `DataTable`: its header and how a row fills its cell. */
export type Column<T> = {
  header: string;
  cell: (row: T) => ReactNode;
  /** The cell that names the row: rendered as `<th scope="row">` so screen readers announce it. */
  rowHeader?: boolean;
  className?: string;
  title?: (row: T) => string;
};

/**
 * The frame every list table shares: a scrolling wrapper, a caption for screen readers, column headers
 * and, when `actions` is given, a last column (with a hidden "Actions" header) of row buttons.
 */
export function Table({
  caption,
  headers,
  actions = false,
  className,
  children,
}: {
  caption: string;
  headers: string[];
  actions?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap" {...keyboardScrollable}>
      <table className={className}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {headers.map((header) => (
              <th key={header} scope="col">
                {header}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A `DataTable` but for its rows. */
export type TableOf<T> = {
  caption: string;
  columns: Column<T>[];
  /** The row's React key; rows with an `id` are keyed by it unless this says otherwise. */
  rowKey?: (row: T) => string;
  actions?: (row: T) => ReactNode;
  className?: string;
};

/** A `Table` whose rows are drawn from column definitions; `actions` fills the last cell of each row. */
export function DataTable<T extends { id: string }>(props: TableOf<T> & { rows: T[] }): ReactNode;
export function DataTable<T>(props: TableOf<T> & { rows: T[]; rowKey: (row: T) => string }): ReactNode;
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  actions,
  className,
}: TableOf<T> & { rows: T[] }) {
  const keyOf = rowKey ?? ((row: T) => (row as T & { id: string }).id);
  return (
    <Table
      caption={caption}
      headers={columns.map((column) => column.header)}
      actions={Boolean(actions)}
      className={className}
    >
      {rows.map((row) => (
        <tr key={keyOf(row)}>
          {columns.map((column) =>
            column.rowHeader ? (
              <th key={column.header} scope="row" className={column.className}>
                {column.cell(row)}
              </th>
            ) : (
              <td key={column.header} className={column.className} title={column.title?.(row)}>
                {column.cell(row)}
              </td>
            ),
          )}
          {actions && <td className="row-actions">{actions(row)}</td>}
        </tr>
      ))}
    </Table>
  );
}

/** A small button in a table row; `label` names the row it acts on (the visible text alone would not). */
export function RowButton({
  label,
  onClick,
  danger = false,
  children,
}: {
  label: string;
  onClick: () => void;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`btn ${danger ? "btn-danger" : "btn-secondary"} btn-small`}
      onClick={onClick}
      aria-label={label}
    >
      {children}
    </button>
  );
}
