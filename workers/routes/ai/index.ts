import {
  getAiSettings,
  getAiUsage,
  listAiLedger,
  putAiSettings,
  toWorkflowRun,
} from "../../../shared/ai/settings.ts";
import { triageOnDemand } from "../../../shared/ai/triage.ts";
import { listWorkflowRuns } from "../../../shared/ai/workflows/runs.ts";
import {
  aiLedgerEntrySchema,
  aiSettingsSchema,
  aiUsageSchema,
  putAiSettingsSchema,
  triageRequestSchema,
  triageSchema,
  workflowRunSchema,
  workflowRunsQuerySchema,
} from "../../../shared/contract/ai.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";
import { orgSettingsRoutes } from "../org-settings.ts";

const ai = routeGroup({ tags: ["AI"], permission: "usage:read" });

orgSettingsRoutes(ai, "/ai/settings", aiSettingsSchema, {
  get: {
    summary: "The organisation's AI budgets, tier models, notification URL and deploy watch window",
    permission: "org:read",
    answer: "The settings",
  },
  put: {
    summary: "Replace the organisation's AI settings",
    permission: "org:manage",
    body: putAiSettingsSchema,
    answer: "The stored settings",
  },
  read: getAiSettings,
  write: (db, orgId, audit, input, { config, clock }) =>
    putAiSettings(db, orgId, audit, input, {
      allowLoopback: config.allowLoopbackWebhooks && config.appEnv === "development",
      now: clock(),
    }),
});

const usageRoute = ai.get("/ai/usage", {
  summary: "This month's AI calls, tokens and cost against the budget, and the configured providers",
  responses: { 200: jsonContent(aiUsageSchema, "This month's usage") },
});

ai.answer(usageRoute, function usageHandler({ services, orgId }) {
  const { db, config, clock } = services;
  return getAiUsage(db, orgId, config.llm, clock());
});

const ledgerRoute = ai.get("/ai/ledger", {
  summary: "The AI cost ledger: one entry per provider call, newest first",
  request: { query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(aiLedgerEntrySchema), "A page of ledger entries") },
});

ai.answer(ledgerRoute, function ledgerHandler({ db, orgId, query }) {
  return listAiLedger(db, orgId, query);
});

const runsRoute = ai.get("/ai/workflow-runs", {
  summary: "Workflow runs (PR review, deploy monitor, incident → Jira, failure triage), newest first",
  permission: "runs:read",
  request: { query: pageQuerySchema.extend(workflowRunsQuerySchema.shape) },
  responses: { 200: jsonContent(pageOf(workflowRunSchema), "A page of workflow runs") },
});

ai.answer(runsRoute, async function runsHandler({ db, orgId, query }) {
  const { workflow, projectId, ...page } = query;
  const result = await listWorkflowRuns(db, orgId, page, { workflow, projectId });
  return { items: result.items.map(toWorkflowRun), nextCursor: result.nextCursor };
});

const triageRoute = ai.post("/projects/{projectId}/ai/triage", {
  summary: "Explain a failed CI run's failure clusters and suggest a fix (AI when asked)",
  description:
    "Signature- and history-based explanations always; with `ai: true` the configured model's too. " +
    "503 `not-configured` when no AI provider is set, 402 `budget-exceeded` over the monthly budget.",
  permission: "runs:read",
  rate: { policy: "ai" },
  errors: [402, 503],
  request: { params: idParam("projectId", "prj"), body: jsonBody(triageRequestSchema) },
  responses: { 200: jsonContent(triageSchema, "The triage") },
});

ai.handle(triageRoute, async function triageHandler(c) {
  const { db, config, clock, workersAi } = c.get("services");
  const triage = await triageOnDemand(
    { db, llm: config.llm, fetch: (input, init) => fetch(input, init), now: clock, workersAi },
    orgIdOf(c),
    c.req.valid("param").projectId,
    c.req.valid("json"),
    c.get("requestId"),
  );
  return c.json(triage, 200);
});

/** /v1/ai/… and the per-project triage (docs/ai.md). */
export const registerAiRoutes = (app: Router) => ai.register(app);
