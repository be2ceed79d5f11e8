import { ciApi } from "../../api-ci.ts";
import { DataTable } from "../../components/DataTable.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Crumb, Link } from "../../components/Link.tsx";
import { useAsync } from "../../components/useAsync.ts";
import { TestName } from "./shared.tsx";

/** One failure cluster: its sample error, where it started, and the tests it hits. */
export function ClusterDetail({ clusterId }: { clusterId: string }) {
  const cluster = useAsync(() => ciApi.cluster(clusterId), [clusterId]);
  if (cluster.error) return <ErrorNotice error={cluster.error} />;
  if (!cluster.data) return <Spinner label="Loading the cluster" />;
  const c = cluster.data;
  return (
    <div className="stack-lg">
      <Crumb href="/ci/clusters">Failure clusters</Crumb>
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
      <DataTable
        caption="Tests in this cluster"
        rows={c.tests}
        columns={[
          { header: "Test", rowHeader: true, className: "test-cell", cell: TestName },
          { header: "Failures", cell: (t) => t.failures },
        ]}
      />
    </div>
  );
}
