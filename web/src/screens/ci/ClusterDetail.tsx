import { ciApi } from "../../api-ci.ts";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { keyboardScrollable } from "../../components/scroll.ts";
import { useAsync } from "../../components/useAsync.ts";

/** One failure cluster: its sample error, where it started, and the tests it hits. */
export function ClusterDetail({ clusterId }: { clusterId: string }) {
  const cluster = useAsync(() => ciApi.cluster(clusterId), [clusterId]);
  if (cluster.error) return <ErrorNotice error={cluster.error} />;
  if (!cluster.data) return <Spinner label="Loading the cluster" />;
  const c = cluster.data;
  return (
    <div className="stack-lg">
      <p className="crumbs">
        <Link href="/ci/clusters">Failure clusters</Link> /
      </p>
      <h2>{c.errorType ?? "Failure"}</h2>
      <div className="card">
        <dl className="facts">
          <dt>Failures</dt>
          <dd>{c.count}</dd>
          <dt>First seen</dt>
          <dd>
            {formatDateTime(c.firstSeen.at)}
            {c.firstSeen.commit && (
              <>
                {" "}
                at commit <code>{c.firstSeen.commit}</code>
              </>
            )}{" "}
            in <Link href={`/ci/runs/${c.firstSeen.runId}`}>this run</Link>
          </dd>
          <dt>Last seen</dt>
          <dd>
            {formatDateTime(c.lastSeen.at)} in <Link href={`/ci/runs/${c.lastSeen.runId}`}>this run</Link>
          </dd>
          <dt>Signature</dt>
          <dd>
            <code>{c.signature}</code>
          </dd>
        </dl>
        <h3>Sample</h3>
        <pre className="code-block">{c.sampleStack ?? c.sampleMessage}</pre>
      </div>
      <div className="table-wrap" {...keyboardScrollable}>
        <table>
          <caption className="visually-hidden">Tests in this cluster</caption>
          <thead>
            <tr>
              <th scope="col">Test</th>
              <th scope="col">Failures</th>
            </tr>
          </thead>
          <tbody>
            {c.tests.map((t) => (
              <tr key={t.id}>
                <th scope="row" className="test-cell">
                  <Link href={`/ci/tests/${t.id}`}>{t.name}</Link>
                  <span className="muted small block">{t.file ?? t.suite}</span>
                </th>
                <td>{t.failures}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
