// Small hand-written SVG charts (no chart library): each keeps its numbers in text or a table as well, so
// a screen reader and a person reading exact values get the same facts as the picture.

export const pct = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined ? "—" : `${(value * 100).toFixed(digits)}%`;

export type BarRow = { key: string; label: React.ReactNode; value: number; detail?: string };

/**
 * Horizontal bars of a share (0..1) per row, as a table: label, bar, value. `tone` colours bars by value
 * (good high) when set.
 */
export function BarChart({
  caption,
  rows,
  valueLabel,
  empty = "No data yet",
  testId,
}: {
  caption: string;
  rows: BarRow[];
  valueLabel: string;
  empty?: string;
  testId?: string;
}) {
  return (
    <figure className="chart card" data-testid={testId}>
      <figcaption className="chart-title">{caption}</figcaption>
      {rows.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <table className="bar-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead className="visually-hidden">
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Bar</th>
              <th scope="col">{valueLabel}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const share = Math.max(0, Math.min(1, row.value));
              return (
                <tr key={row.key}>
                  <th scope="row" className="bar-label">
                    {row.label}
                  </th>
                  <td className="bar-cell">
                    <TrackSvg className="bar-svg" height={10} trackY={0} trackHeight={10}>
                      <rect
                        className={`bar-fill ${share >= 0.8 ? "bar-good" : share >= 0.5 ? "bar-mid" : "bar-low"}`}
                        x="0"
                        y="0"
                        width={Math.max(share * 100, share > 0 ? 1 : 0)}
                        height="10"
                        rx="2"
                      />
                    </TrackSvg>
                  </td>
                  <td className="bar-value">
                    <strong>{pct(row.value)}</strong>
                    {row.detail && <span className="muted small"> {row.detail}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </figure>
  );
}

/**
 * The picture half of a bar: a 0–100 wide SVG stretched to its box over a grey track, hidden from screen
 * readers (the value is written beside it).
 */
function TrackSvg({
  className,
  height,
  trackY,
  trackHeight,
  children,
}: {
  className: string;
  height: number;
  trackY: number;
  trackHeight: number;
  children: React.ReactNode;
}) {
  return (
    <svg
      className={className}
      viewBox={`0 0 100 ${height}`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <rect className="bar-track" x="0" y={trackY} width="100" height={trackHeight} rx="2" />
      {children}
    </svg>
  );
}

/** A failure rate with its 95% Wilson interval on a 0–100% track. */
export function WilsonBar({ rate, low, high }: { rate: number; low: number; high: number }) {
  const x = (v: number) => Math.max(0, Math.min(100, v * 100));
  return (
    <TrackSvg className="wilson" height={12} trackY={4} trackHeight={4}>
      <rect
        className="wilson-band"
        x={x(low)}
        y="2"
        width={Math.max(0.8, x(high) - x(low))}
        height="8"
        rx="2"
      />
      <rect className="wilson-point" x={x(rate) - 0.8} y="0" width="1.6" height="12" />
    </TrackSvg>
  );
}

/** A test's recent outcomes as a strip of squares, oldest left. */
export function OutcomeStrip({ outcomes }: { outcomes: { key: string; status: string; title: string }[] }) {
  if (outcomes.length === 0) return null;
  const counts = outcomes.reduce<Record<string, number>>((acc, o) => {
    acc[o.status] = (acc[o.status] ?? 0) + 1;
    return acc;
  }, {});
  const summary = Object.entries(counts)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  return (
    <svg
      className="strip"
      viewBox={`0 0 ${outcomes.length * 12} 12`}
      width={outcomes.length * 12}
      height="12"
      role="img"
      aria-label={`Last ${outcomes.length} results, oldest first: ${summary}`}
    >
      {outcomes.map((o, i) => (
        <rect key={o.key} className={`strip-${o.status}`} x={i * 12} y="0" width="10" height="12" rx="2">
          <title>{o.title}</title>
        </rect>
      ))}
    </svg>
  );
}
