import type { Locator, Page } from "@playwright/test";
import type { Seeded } from "./seed.ts";

/**
 * Every screen of the dashboard, for the checks that hold on all of them (a11y.spec.ts: no sideways
 * overflow at 390 px, no serious or critical axe violations). A new screen is one line here.
 *
 * `path` is the inner path (the spec puts it under `/o/{orgId}/p/{projectId}`); `ready` is what must be
 * visible before the screen counts as rendered (its level-1 heading when omitted); `signedOut` screens are
 * opened without the sign-in cookie.
 */
export type Screen = {
  name: string;
  path: (seed: Seeded) => string;
  heading?: string;
  ready?: (page: Page) => Locator;
  signedOut?: boolean;
};

const table = (name: string) => (page: Page) => page.getByRole("table", { name });

export const SCREENS: Screen[] = [
  {
    name: "sign in",
    path: () => "/",
    signedOut: true,
    ready: (p) => p.getByRole("button", { name: "Sign in" }),
  },
  { name: "sessions", path: () => "/sessions", heading: "Sessions" },
  {
    name: "session room",
    path: (s) => `/sessions/${s.sessionId}`,
    heading: "Checkout exploration",
  },
  {
    name: "healing overview",
    path: () => "/healing",
    heading: "Healing",
    ready: (p) => p.getByTestId("heal-rate"),
  },
  {
    name: "healing review queue",
    path: () => "/healing/review",
    heading: "Healing",
    ready: (p) => p.getByRole("list", { name: "pending healed locators" }),
  },
  {
    name: "healing attempts",
    path: () => "/healing/attempts",
    heading: "Healing",
    ready: (p) => p.getByRole("table").first(),
  },
  { name: "healing models", path: () => "/healing/models", heading: "Healing" },
  { name: "ci runs", path: () => "/ci", heading: "CI runs", ready: table("Runs, newest first") },
  {
    name: "ci run detail",
    path: (s) => `/ci/runs/${s.failedRunId}`,
    heading: "CI runs",
    ready: table("Test results of this run"),
  },
  { name: "ci tests", path: () => "/ci/tests", heading: "CI runs", ready: table("Tests") },
  {
    name: "ci trends",
    path: () => "/ci/trends",
    heading: "CI runs",
    ready: (p) => p.getByTestId("trend-pass-rate"),
  },
  { name: "ci flaky tests", path: () => "/ci/flaky", heading: "CI runs", ready: table("Flaky tests") },
  {
    name: "ci test history",
    path: (s) => `/ci/tests/${s.testId}`,
    heading: "CI runs",
    ready: (p) => p.getByRole("table", { name: /Results of this test/ }),
  },
  {
    name: "ci failure clusters",
    path: () => "/ci/clusters",
    heading: "CI runs",
    ready: (p) => p.getByRole("list", { name: "Failure clusters" }),
  },
  {
    name: "ci cluster detail",
    path: (s) => `/ci/clusters/${s.clusterId}`,
    heading: "CI runs",
    ready: table("Tests in this cluster"),
  },
  {
    name: "ci gate and github",
    path: () => "/ci/settings",
    heading: "CI runs",
    ready: (p) => p.getByText("Not connected."),
  },
  {
    name: "test generations",
    path: () => "/generations",
    heading: "Test generation",
    ready: table("Generations, newest first"),
  },
  {
    name: "test generation detail",
    path: (s) => `/generations/${s.generationId}`,
    heading: "Test generation",
    ready: (p) => p.getByTestId("generation-figures"),
  },
  {
    name: "insight",
    path: () => "/insight",
    heading: "Insight",
    ready: (p) => p.getByText("No deployments or incidents in this window"),
  },
  { name: "pipeline board", path: () => "/pipeline", heading: "Pipeline" },
  {
    name: "integrations events",
    path: () => "/integrations",
    heading: "Integrations",
    ready: table("Webhook events, newest first"),
  },
  {
    name: "integrations event detail",
    path: (s) => `/integrations/events/${s.eventId}`,
    heading: "Integrations",
    ready: (p) => p.getByTestId("event-status"),
  },
  { name: "integrations dead letters", path: () => "/integrations/dead-letters", heading: "Integrations" },
  {
    name: "integrations sources",
    path: () => "/integrations/sources",
    heading: "Integrations",
    ready: table("Inbound sources"),
  },
  {
    name: "integrations endpoints",
    path: () => "/integrations/endpoints",
    heading: "Integrations",
    ready: table("Outbound endpoints"),
  },
  {
    name: "project settings",
    path: () => "/settings",
    heading: "Project settings",
    ready: (p) => p.getByTestId("jira-current"),
  },
  {
    name: "integrations endpoint detail",
    path: (s) => `/integrations/endpoints/${s.endpointId}`,
    heading: "Integrations",
    ready: (p) => p.getByTestId("endpoint-stats"),
  },
  { name: "api keys", path: () => "/keys", heading: "API keys", ready: (p) => p.getByText("CI uploader") },
  {
    name: "members",
    path: () => "/members",
    heading: "Members",
    ready: (p) => p.getByRole("list", { name: "Members" }),
  },
  {
    name: "audit log",
    path: () => "/audit",
    heading: "Audit log",
    ready: (p) => p.getByRole("table").first(),
  },
  { name: "usage", path: () => "/usage", heading: "Usage", ready: (p) => p.getByRole("meter").first() },
  {
    name: "security",
    path: () => "/security",
    heading: "Security",
    ready: (p) => p.getByRole("heading", { name: "Delete this organisation" }),
  },
  { name: "ai workflows", path: () => "/workflows", heading: "AI workflows" },
  { name: "not found", path: () => "/no/such/page", heading: "Not found" },
];
