import { Fragment, type KeyboardEvent, useId, useRef, useState } from "react";

// A weekly series as a line with axes, labelled ticks and one point per week. The points are one tab
// stop (arrow keys, Home and End move between them, as in a toolbar) and each says its value to a screen
// reader; hovering or focusing one shows the same text as a tooltip. Kept beside charts.tsx's bars.

export type WeeklyPoint = { key: string; label: string; value: number | null; detail: string };

const W = 320;
const H = 150;
const M = { top: 10, right: 12, bottom: 24, left: 44 };

export function WeeklyChart({
  title,
  points,
  formatTick,
  testId,
}: {
  title: string;
  points: WeeklyPoint[];
  /** How a y-axis tick reads ("2/wk", "12 h", "25%"). */
  formatTick: (value: number) => string;
  testId?: string;
}) {
  const id = useId();
  const [active, setActive] = useState<number | null>(null);
  const [stop, setStop] = useState(Math.max(0, points.length - 1));
  const refs = useRef<(SVGGElement | null)[]>([]);
  if (points.length === 0) return null;

  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const max = Math.max(...values, 0) || 1;
  const top = niceCeil(max);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (i: number) => M.left + (points.length === 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (v: number) => M.top + plotH - (v / top) * plotH;
  const yTicks = [0, top / 2, top];
  const xTicks = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
  const line = points
    .map((p, i) => (p.value === null ? null : `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`))
    .filter(Boolean)
    .join(" ");

  function move(event: KeyboardEvent, i: number) {
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
  return (
    <div className="weekly-chart" data-testid={testId}>
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG chart's points cannot sit in a fieldset */}
      <svg viewBox={`0 0 ${W} ${H}`} className="weekly-svg" role="group" aria-labelledby={`${id}-t`}>
        <title id={`${id}-t`}>{`${title}, one point per week; arrow keys move between weeks`}</title>
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
        {line && <polyline className="weekly-line" points={line} fill="none" />}
        {points.map((p, i) => (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a point is focusable only to show its value
          <g
            key={p.key}
            ref={(el) => {
              refs.current[i] = el;
            }}
            role="img"
            aria-label={`${p.label}: ${p.detail}`}
            tabIndex={i === stop ? 0 : -1}
            className="weekly-point"
            data-testid="chart-point"
            onMouseEnter={() => setActive(i)}
            onMouseLeave={() => setActive(null)}
            onFocus={() => {
              setActive(i);
              setStop(i);
            }}
            onBlur={() => setActive(null)}
            onKeyDown={(e) => move(e, i)}
          >
            {/* A wide invisible target, so a point is easy to hover. */}
            <rect
              x={x(i) - plotW / Math.max(points.length, 1) / 2}
              y={M.top}
              width={plotW / Math.max(points.length, 1)}
              height={plotH}
              fill="transparent"
            />
            {p.value === null ? (
              <circle className="weekly-dot weekly-dot-empty" cx={x(i)} cy={y(0)} r={3} />
            ) : (
              <circle className="weekly-dot" cx={x(i)} cy={y(p.value)} r={i === active ? 5 : 3.5} />
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
    </div>
  );
}

/** 1, 2, 2.5, 5 or 10 times a power of ten, at or above the value: tick labels stay round. */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
