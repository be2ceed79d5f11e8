// Typed calls of the CI governor (shapes in shared/contract/ci.ts, prose in docs/ci-api.md): runs, results, gates, flaky tests,
// failure clusters, gate rules and failure artifacts (the GitHub integration is in api-integrations.ts).
import type {
  CiTest,
  CiTrends,
  Cluster,
  ClusterDetail,
  CompareSort,
  GateEvaluation,
  GateRules,
  PutGateRules,
  ResultStatus,
  Run,
  RunComparison,
  RunsQuery,
  TestResult,
  TestsQuery,
} from "../../shared/contract/ci.ts";
import type { Artifact } from "../../shared/contract/ci-artifacts.ts";
import { enc, json, type Page, type Paging } from "./api.ts";

export type {
  CiTest,
  CiTrends,
  Cluster,
  ClusterDetail,
  ComparedResult,
  CompareSort,
  GateEvaluation as Gate,
  GateReason,
  GateRules,
  GateStatus,
  ResultStatus,
  Run,
  RunComparison,
  TestResult,
  TrendPoint,
} from "../../shared/contract/ci.ts";
export type { Artifact } from "../../shared/contract/ci-artifacts.ts";

const project = (projectId: string) => `/v1/projects/${enc(projectId)}`;

export const ciApi = {
  /** The runs list's URL, for useChangePoll. */
  runsPath: (projectId: string) => `${project(projectId)}/runs`,
  runs: (projectId: string, query: Paging & Pick<Partial<RunsQuery>, "branch" | "status">) =>
    json<Page<Run>>("GET", `${project(projectId)}/runs`, { query }),
  run: (runId: string) => json<Run>("GET", `/v1/runs/${enc(runId)}`),
  results: (runId: string, query: Paging & { status?: ResultStatus }) =>
    json<Page<TestResult>>("GET", `/v1/runs/${enc(runId)}/results`, { query }),
  /** Failure artifacts with signed URLs (docs/artifacts.md); a run keeps at most 20 per failed result. */
  artifacts: (runId: string, query: Paging & { resultId?: string } = {}) =>
    json<Page<Artifact>>("GET", `/v1/runs/${enc(runId)}/artifacts`, { query }),
  /** Triage: every result beside the reference run's, sorted (docs/ci-api.md). */
  compare: (runId: string, sort: CompareSort) =>
    json<RunComparison>("GET", `/v1/runs/${enc(runId)}/compare`, { query: { sort } }),
  tests: (projectId: string, query: Paging & Partial<Pick<TestsQuery, "q" | "file" | "tag" | "status">>) =>
    json<Page<CiTest>>("GET", `${project(projectId)}/tests`, { query }),
  trends: (projectId: string, query: { branch?: string; days?: number }) =>
    json<CiTrends>("GET", `${project(projectId)}/trends`, { query }),
  gate: (runId: string) => json<GateEvaluation>("GET", `/v1/runs/${enc(runId)}/gate`),
  flaky: (projectId: string, query: Paging = {}) =>
    json<Page<CiTest>>("GET", `${project(projectId)}/flaky`, { query }),
  test: (testId: string) => json<CiTest>("GET", `/v1/tests/${enc(testId)}`),
  history: (testId: string, query: Paging = {}) =>
    json<Page<TestResult>>("GET", `/v1/tests/${enc(testId)}/history`, { query }),
  quarantine: (testId: string, on: boolean) =>
    json<CiTest>(on ? "POST" : "DELETE", `/v1/tests/${enc(testId)}/quarantine`),
  clusters: (projectId: string, query: Paging = {}) =>
    json<Page<Cluster>>("GET", `${project(projectId)}/clusters`, { query }),
  cluster: (clusterId: string) => json<ClusterDetail>("GET", `/v1/clusters/${enc(clusterId)}`),
  gateRules: (projectId: string) => json<GateRules>("GET", `${project(projectId)}/gate-rules`),
  saveGateRules: (projectId: string, rules: PutGateRules) =>
    json<GateRules>("PUT", `${project(projectId)}/gate-rules`, { json: rules }),
};
