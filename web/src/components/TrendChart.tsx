import { Fragment, type KeyboardEvent, type ReactNode, useId, useRef, useState } from "react";

// A series over time with axes and labelled ticks: a line (with an optional second, dashed line, e.g.
// p95 beside p50) or bars coloured by a tone (e.g. each run's gate verdict). The points are one tab stop
// (arrow keys, Home and End move between them, as in a toolbar) and each says its value to a screen
// reader; hovering or focusing one shows the same text as a tooltip. A point with `onSelect` is a link:
// click or Enter opens what it stands for (click-through).

export type ChartPoint = {
  key: string;
  /** The x-axis label ("Dec 1", "#42"). */
  label: string;
  value: number | null;
  /** A second value drawn as a dashed line (p95 beside p50). */
  value2?: number | null;
  /** What the point says (tooltip and screen reader). */
  detail: string;
  /** Bars only: the bar's colour class (`trend-pass`, `trend-fail`, …). */
  tone?: "pass" | "fail" | "warn";
};

const W = 320;
const H = 150;
const M = { top: 10, right: 12, bottom: 24, left: 44 };

export function TrendChart({
  title,
  unit,
  points,
  formatTick,
  kind = "line",
  caption,
  legend,
  onSelect,
  testId,
}: {
  title: string;
  /** What one point stands for ("week", "day", "run"), for the screen-reader title. */
  unit: string;
  points: ChartPoint[];
  /** How a y-axis tick reads ("2/wk", "12 h", "25%"). */
  formatTick: (value: number) => string;
  kind?: "line" | "bars";
  caption?: ReactNode;
  legend?: ReactNode;
  onSelect?: (point: ChartPoint) => void;
  testId?: string;
}) {
  const id = useId();
  const [active, setActive] = useState<number | null>(null);
  const [stop, setStop] = useState(Math.max(0, points.length - 1));
  const refs = useRef<(SVGGElement | null)[]>([]);
  if (points.length === 0) return null;

  const values = points.flatMap((p) => [p.value, p.value2 ?? null]).filter((v): v is number => v !== null);
  const max = Math.max(...values, 0) || 1;
  const top = niceCeil(max);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const slot = plotW / points.length;
  const x =
    kind === "bars"
      ? (i: number) => M.left + slot * (i + 0.5)
      : (i: number) => M.left + (points.length === 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (v: number) => M.top + plotH - (v / top) * plotH;
  const yTicks = [0, top / 2, top];
  const xTicks = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
  const lineOf = (pick: (p: ChartPoint) => number | null | undefined) =>
    points
      .map((p, i) => {
        const v = pick(p);
        return v === null || v === undefined ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      })
      .filter(Boolean)
      .join(" ");
  const line = kind === "line" ? lineOf((p) => p.value) : "";
  const line2 = kind === "line" ? lineOf((p) => p.value2) : "";

  function key(event: KeyboardEvent, i: number) {
    if (onSelect && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      onSelect(points[i]!);
      return;
    }
    const to =
      event.key === "ArrowRight"
        ? Math.min(points.length - 1, i + 1)
        : event.key === "ArrowLeft"
          ? Math.max(0, i - 1)
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? points.length - 1
              : null;
    if (to === null) return;
    event.preventDefault();
    setStop(to);
    refs.current[to]?.focus();
  }

  const shown = active === null ? null : points[active];
  const how = `one point per ${unit}; arrow keys move between them${onSelect ? ", Enter opens one" : ""}`;
  return (
    <figure className="trend-chart" data-testid={testId}>
      {caption && <figcaption className="chart-title">{caption}</figcaption>}
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG chart's points cannot sit in a fieldset */}
      <svg viewBox={`0 0 ${W} ${H}`} className="trend-chart-svg" role="group" aria-labelledby={`${id}-t`}>
        <title id={`${id}-t`}>{`${title}, ${how}`}</title>
        {yTicks.map((t) => (
          <Fragment key={t}>
            <line className="trend-grid" x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text className="axis-tick" x={M.left - 6} y={y(t) + 3.5} textAnchor="end">
              {formatTick(t)}
            </text>
          </Fragment>
        ))}
        <line className="axis-line" x1={M.left} x2={M.left} y1={M.top} y2={M.top + plotH} />
        {xTicks.map((i) => (
          <text
            key={i}
            className="axis-tick"
            x={x(i)}
            y={H - 6}
            textAnchor={i === 0 ? "start" : i === points.length - 1 ? "end" : "middle"}
          >
            {points[i]!.label}
          </text>
        ))}
        {line2 && <polyline className="trend-line trend-line-2" points={line2} fill="none" />}
        {line && <polyline className="trend-line" points={line} fill="none" />}
        {points.map((p, i) => (
          // biome-ignore lint/a11y/noStaticElementInteractions: the role is "link" whenever there is a click handler
          <g
            key={p.key}
            ref={(el) => {
              refs.current[i] = el;
            }}
            role={onSelect ? "link" : "img"}
            aria-label={`${p.label}: ${p.detail}`}
            tabIndex={i === stop ? 0 : -1}
            className={`trend-point${onSelect ? " trend-point-link" : ""}`}
            data-testid="chart-point"
            onMouseEnter={() => setActive(i)}
            onMouseLeave={() => setActive(null)}
            onFocus={() => {
              setActive(i);
              setStop(i);
            }}
            onBlur={() => setActive(null)}
            onKeyDown={(e) => key(e, i)}
            onClick={onSelect ? () => onSelect(p) : undefined}
          >
            {/* A wide invisible target, so a point is easy to hover. */}
            <rect x={x(i) - slot / 2} y={M.top} width={slot} height={plotH} fill="transparent" />
            {kind === "bars" ? (
              <rect
                className={`trend-bar trend-${p.tone ?? "pass"}`}
                x={x(i) - Math.min(9, slot * 0.7) / 2}
                y={y(p.value ?? 0) - (p.value ? 0 : 1.5)}
                width={Math.min(9, slot * 0.7)}
                height={Math.max(1.5, M.top + plotH - y(p.value ?? 0))}
                rx="1.5"
              />
            ) : p.value === null ? (
              <circle className="trend-dot trend-dot-empty" cx={x(i)} cy={y(0)} r={3} />
            ) : (
              <circle className="trend-dot" cx={x(i)} cy={y(p.value)} r={i === active ? 5 : 3.5} />
            )}
          </g>
        ))}
      </svg>
      {shown && active !== null && (
        <div
          className="chart-tip"
          role="tooltip"
          data-testid="chart-tooltip"
          style={{ left: `${Math.min(80, Math.max(20, (x(active) / W) * 100))}%` }}
        >
          <strong>{shown.label}</strong> {shown.detail}
        </div>
      )}
      {legend && <div className="trend-legend muted small">{legend}</div>}
    </figure>
  );
}

/** 1, 2, 2.5, 5 or 10 times a power of ten, at or above the value: tick labels stay round. */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
