import { pct } from "../../components/charts.tsx";

/** A heal's calibrated confidence as a meter and a percentage (review queue, suggestions). */
export function Confidence({ value }: { value: number }) {
  return (
    <span className="confidence">
      <span className="muted small">Confidence</span>{" "}
      <meter min={0} max={1} low={0.5} high={0.8} optimum={1} value={value}>
        {pct(value)}
      </meter>{" "}
      <strong>{pct(value)}</strong>
    </span>
  );
}
