// Typed calls of the CI governor (workers/routes/ci/, docs/ci-api.md): runs, results, gates, flaky tests,
// failure clusters, gate rules and the GitHub integration.
import { enc, json, type Page } from "./api.ts";

export type GateStatus = "pass" | "fail" | "warn";
export type GateReason = {
  rule: "minPassRate" | "noNewFailures" | "noBrokenTests" | "maxHealsBeforeWarning";
  status: GateStatus;
  message: string;
};
export type Run = {
  id: string;
  projectId: string;
  status: "passed" | "failed";
  format: "junit" | "playwright";
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
  healed: number;
  durationMs: number;
  commit: string | null;
  branch: string | null;
  baseBranch: string | null;
  pr: number | null;
  provider: string | null;
  runUrl: string | null;
  buildId: string | null;
  createdAt: number;
  newFailures: number;
  gate: { status: GateStatus; reasons: GateReason[] };
  github: {
    state: "pending" | "reported" | "failed";
    kind?: "check_run" | "status";
    id?: number;
    error?: string;
    at?: number;
  } | null;
};
export type ResultStatus = "passed" | "failed" | "skipped" | "flaky";
export type TestResult = {
  id: string;
  runId: string;
  testId: string;
  name: string;
  suite: string;
  file: string | null;
  status: ResultStatus;
  durationMs: number;
  retries: number;
  healed: boolean;
  quarantined: boolean;
  message: string | null;
  stack: string | null;
  clusterId: string | null;
  commit: string | null;
  branch: string | null;
  createdAt: number;
};
export type Gate = { status: GateStatus; reasons: GateReason[]; evaluatedAt: number };
export type CiTest = {
  id: string;
  projectId: string;
  name: string;
  suite: string;
  file: string | null;
  status: "healthy" | "flaky" | "broken";
  quarantined: boolean;
  quarantineReason: "manual" | "auto" | null;
  quarantinedAt: number | null;
  lastOutcome: string | null;
  lastRunId: string | null;
  consecutivePasses: number;
  stats: {
    sampleSize: number;
    failures: number;
    failureRate: number;
    wilson: { low: number; high: number };
    lastFlipAt: number | null;
  };
  firstSeenAt: number;
  lastSeenAt: number;
};
export type Cluster = {
  id: string;
  projectId: string;
  signature: string;
  errorType: string | null;
  sampleMessage: string;
  sampleStack: string | null;
  count: number;
  testsAffected: number;
  firstSeen: { runId: string; commit: string | null; at: number };
  lastSeen: { runId: string; at: number };
};
export type ClusterDetail = Cluster & {
  tests: { id: string; name: string; suite: string; file: string | null; failures: number }[];
};
export type GateRules = {
  minPassRate: number | null;
  noNewFailures: boolean;
  noBrokenTests: boolean;
  maxHealsBeforeWarning: number | null;
  autoQuarantine: boolean;
  releaseAfterPasses: number | null;
  updatedAt: number | null;
};
export type GithubIntegration = { owner: string; repo: string; token: string; updatedAt: number };

const project = (projectId: string) => `/v1/projects/${enc(projectId)}`;
type Paging = { cursor?: string; limit?: number };

export const ciApi = {
  runs: (projectId: string, query: Paging & { branch?: string; status?: "passed" | "failed" }) =>
    json<Page<Run>>("GET", `${project(projectId)}/runs`, { query }),
  run: (runId: string) => json<Run>("GET", `/v1/runs/${enc(runId)}`),
  results: (runId: string, query: Paging & { status?: ResultStatus }) =>
    json<Page<TestResult>>("GET", `/v1/runs/${enc(runId)}/results`, { query }),
  gate: (runId: string) => json<Gate>("GET", `/v1/runs/${enc(runId)}/gate`),
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
  saveGateRules: (projectId: string, rules: Omit<GateRules, "updatedAt">) =>
    json<GateRules>("PUT", `${project(projectId)}/gate-rules`, { json: rules }),
  github: (projectId: string) => json<GithubIntegration>("GET", `${project(projectId)}/integrations/github`),
  saveGithub: (projectId: string, body: { owner: string; repo: string; token: string }) =>
    json<GithubIntegration>("PUT", `${project(projectId)}/integrations/github`, { json: body }),
  removeGithub: (projectId: string) => json<void>("DELETE", `${project(projectId)}/integrations/github`),
};
