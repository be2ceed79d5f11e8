import { useEffect, useId } from "react";
import { generationApi, isTerminal, SOURCE_LABELS } from "../../api-generation.ts";
import { CodeView } from "../../components/CodeView.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Crumb, Link } from "../../components/Link.tsx";
import { useAsync } from "../../components/useAsync.ts";
import { StatusBadge } from "./shared.tsx";

/** How often a running job is asked again: planning takes seconds at most (docs/test-generation.md). */
const POLL_MS = 1000;

/** One generation: progress while it runs, its figures, and its files with syntax colours. */
export function GenerationDetail({ generationId }: { generationId: string }) {
  const job = useAsync(() => generationApi.get(generationId), [generationId]);
  const id = useId();
  const status = job.data?.status;
  const { reload, loading } = job;

  // Poll until the job is finished; a visible tab only, like the other live lists (docs/live-updates.md).
  useEffect(() => {
    if (!status || isTerminal(status) || loading) return;
    const timer = setTimeout(() => {
      if (document.visibilityState === "visible") reload();
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [status, loading, reload]);

  if (!job.data && job.error) return <ErrorNotice error={job.error} />;
  if (!job.data) return <Spinner label="Loading the generation" />;
  const g = job.data;
  const figures: [string, number][] = [
    ["Pages", g.figures.pages],
    ["Interactions", g.figures.interactions],
    ["Tests", g.figures.tests],
    ["Assertions", g.figures.assertions],
  ];
  return (
    <div className="stack-lg">
      <Crumb href="/generations">Generations</Crumb>
      <div className="toolbar">
        <h2 id={`${id}-h`}>Generation of {formatDateTime(g.createdAt)}</h2>
        <StatusBadge status={g.status} />
      </div>
      <p className="muted">
        {SOURCE_LABELS[g.source]}
        {g.sessionId && (
          <>
            {" "}
            (<Link href={`/sessions/${g.sessionId}`}>the session</Link>)
          </>
        )}{" "}
        of <code>{g.appUrl}</code>.
      </p>
      {!isTerminal(g.status) && (
        <div className="stack-sm">
          <label htmlFor={`${id}-progress`}>Planning: {Math.round(g.progress * 100)}%</label>
          <progress id={`${id}-progress`} max={1} value={g.progress} />
        </div>
      )}
      <ErrorNotice error={job.error} />
      {g.error && (
        <p className="notice notice-error" role="alert">
          {g.error}
        </p>
      )}
      <section className="card" aria-labelledby={`${id}-fig`}>
        <h3 id={`${id}-fig`}>Figures</h3>
        <dl className="stat-grid" data-testid="generation-figures">
          {figures.map(([label, value]) => (
            <div key={label} className="stat">
              <dt className="stat-label">{label}</dt>
              <dd className="stat-value">{value}</dd>
            </div>
          ))}
        </dl>
        <p className="muted small">
          Verification runs in the CLI (<code>--verify</code>): tests that fail there are dropped before the
          files are written, so its results are not stored here.
        </p>
      </section>
      <section className="stack" aria-labelledby={`${id}-files`}>
        <h3 id={`${id}-files`}>Files</h3>
        {g.files.length === 0 ? (
          <p className="muted">No files: nothing observed had an effect a test could assert.</p>
        ) : (
          g.files.map((file) => <CodeView key={file.path} path={file.path} content={file.content} />)
        )}
      </section>
    </div>
  );
}
