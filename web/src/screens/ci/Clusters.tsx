import { ciApi } from "../../api-ci.ts";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatRelative } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { LoadMore } from "../../components/SubNav.tsx";
import { usePaged } from "../../components/usePaged.ts";
import { shortSha } from "./shared.tsx";

/** Failures grouped by signature (error type, first message line, top stack frames). */
export function Clusters({ projectId }: { projectId: string }) {
  const clusters = usePaged((cursor) => ciApi.clusters(projectId, { cursor, limit: 50 }), [projectId]);
  return (
    <div>
      <h2>Failure clusters</h2>
      <p className="muted small">
        Failures with the same error type, first message line and top stack frames, after masking ids,
        numbers, paths and times. The first-seen commit is where to start looking.
      </p>
      <ErrorNotice error={clusters.error} onRetry={clusters.reload} />
      {!clusters.loaded ? (
        <Spinner label="Loading clusters" />
      ) : clusters.error && clusters.items.length === 0 ? null : clusters.items.length === 0 ? (
        <EmptyState title="No failures to cluster" />
      ) : (
        <ul className="cluster-list" aria-label="Failure clusters">
          {clusters.items.map((c) => (
            <li key={c.id} className="card cluster-card">
              <div className="heal-head">
                <Link href={`/ci/clusters/${c.id}`} className="cluster-title">
                  {c.errorType ?? "Failure"}: {c.sampleMessage.split("\n")[0]}
                </Link>
                <span className="badge">
                  {c.count} {c.count === 1 ? "failure" : "failures"}
                </span>
              </div>
              <p className="muted small">
                {c.testsAffected} {c.testsAffected === 1 ? "test" : "tests"} · first seen{" "}
                {formatRelative(c.firstSeen.at)}
                {c.firstSeen.commit ? (
                  <>
                    {" "}
                    at <code>{shortSha(c.firstSeen.commit)}</code>
                  </>
                ) : null}{" "}
                · last seen {formatRelative(c.lastSeen.at)}
              </p>
            </li>
          ))}
        </ul>
      )}
      <LoadMore hasMore={clusters.hasMore} loading={clusters.loading} onMore={clusters.more} />
    </div>
  );
}
