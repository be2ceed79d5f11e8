import { useId } from "react";
import { api } from "../api.ts";
import { ErrorNotice, Spinner } from "../components/Feedback.tsx";
import { Page } from "../components/Page.tsx";
import { useAsync } from "../components/useAsync.ts";

const LABELS: Record<string, string> = {
  default: "API requests",
  heal: "Selector healing",
  ai: "AI calls",
  ingest: "Ingest (reports, webhooks)",
};

/** Rate-limit headroom per policy: a bar per policy, no chart library needed. */
export function Usage() {
  const usage = useAsync(() => api.usage(), []);
  const id = useId();
  return (
    <Page
      id={`${id}-title`}
      title="Usage"
      lead={
        <>
          How much of each rate-limit budget is left right now
          {usage.data && (
            <>
              {" "}
              on the <strong>{usage.data.plan}</strong> plan
            </>
          )}
          .
        </>
      }
      actions={
        <button type="button" className="btn btn-secondary" onClick={usage.reload}>
          Refresh
        </button>
      }
    >
      <ErrorNotice error={usage.error} />
      {usage.loading && !usage.data && <Spinner label="Loading usage" />}
      <div className="usage-grid">
        {usage.data?.policies.map((p) => {
          const used = Math.max(0, p.burst - p.remaining);
          const share = p.burst > 0 ? used / p.burst : 0;
          return (
            <article key={p.policy} className="card usage-card">
              <h2>{LABELS[p.policy] ?? p.policy}</h2>
              <p className="usage-figure">
                <strong>{p.remaining.toLocaleString()}</strong>{" "}
                <span className="muted">of {p.burst.toLocaleString()} left</span>
              </p>
              <meter
                className="visually-hidden"
                min={0}
                max={p.burst}
                value={used}
                aria-label={`${LABELS[p.policy] ?? p.policy} used`}
              >
                {used} of {p.burst} used
              </meter>
              <div
                className={`meter ${share > 0.9 ? "meter-hot" : share > 0.6 ? "meter-warm" : ""}`}
                aria-hidden="true"
              >
                <span style={{ width: `${Math.round(share * 100)}%` }} />
              </div>
              <p className="muted small">
                {p.quota.toLocaleString()} per {formatWindow(p.windowSeconds)}
                {p.resetSeconds > 0 && ` · full again in ${p.resetSeconds}s`}
              </p>
            </article>
          );
        })}
      </div>
    </Page>
  );
}

function formatWindow(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? "day" : `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? "hour" : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? "minute" : `${seconds / 60} minutes`;
  return `${seconds}s`;
}
