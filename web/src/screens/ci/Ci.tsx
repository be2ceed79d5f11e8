import { InProject, Page } from "../../components/Page.tsx";
import { ProjectGate } from "../../components/ProjectGate.tsx";
import { SubNav } from "../../components/SubNav.tsx";
import { match } from "../../router.ts";
import { ClusterDetail } from "./ClusterDetail.tsx";
import { Clusters } from "./Clusters.tsx";
import { Flaky } from "./Flaky.tsx";
import { GateSettings } from "./GateSettings.tsx";
import { RunDetail } from "./RunDetail.tsx";
import { Runs } from "./Runs.tsx";
import { TestHistory } from "./TestHistory.tsx";
import { Tests } from "./Tests.tsx";
import { Trends } from "./Trends.tsx";

const PAGES = [
  { href: "/ci", label: "Runs", match: (p: string) => p === "/ci" || p.startsWith("/ci/runs/") },
  { href: "/ci/tests", label: "Tests", match: (p: string) => p.startsWith("/ci/tests") },
  { href: "/ci/trends", label: "Trends" },
  { href: "/ci/flaky", label: "Flaky tests" },
  { href: "/ci/clusters", label: "Failure clusters", match: (p: string) => p.startsWith("/ci/clusters") },
  { href: "/ci/settings", label: "Gate & GitHub" },
];

/**
 * The CI governor for the current project: runs and their triage, tests and their search, trends, flaky
 * tests, failure clusters, rules.
 */
export function Ci({ path }: { path: string }) {
  const page = path.replace(/\/+$/, "");
  const run = match("/ci/runs/:runId", page);
  const test = match("/ci/tests/:testId", page);
  const cluster = match("/ci/clusters/:clusterId", page);
  return (
    <Page
      id="ci-title"
      title="CI runs"
      lead={
        <>
          Test reports uploaded from CI, judged by the quality gate
          <InProject />
        </>
      }
    >
      <SubNav label="CI pages" items={PAGES} path={page} />
      <ProjectGate>
        {(projectId) =>
          run ? (
            <RunDetail runId={run.runId!} />
          ) : test ? (
            <TestHistory testId={test.testId!} />
          ) : cluster ? (
            <ClusterDetail clusterId={cluster.clusterId!} />
          ) : page === "/ci/tests" ? (
            <Tests projectId={projectId} />
          ) : page === "/ci/trends" ? (
            <Trends projectId={projectId} />
          ) : page === "/ci/flaky" ? (
            <Flaky projectId={projectId} />
          ) : page === "/ci/clusters" ? (
            <Clusters projectId={projectId} />
          ) : page === "/ci/settings" ? (
            <GateSettings projectId={projectId} />
          ) : (
            <Runs projectId={projectId} />
          )
        }
      </ProjectGate>
    </Page>
  );
}
