import { and, count, eq } from "drizzle-orm";
import { GitHubClient } from "../../ci/github.ts";
import { githubTokenContext, loadGithubIntegration } from "../../ci/github-report.ts";
import { decryptSecret } from "../../crypto/secret-box.ts";
import { healedLocators } from "../../db/schema/healed-locators.ts";
import { tryAiTask } from "../service.ts";
import { aiDepsOf, objAt, str, type WorkflowDeps } from "./deps.ts";
import type { RunResult, WorkflowRun } from "./runs.ts";
import { type ImpactedTest, impactedTests } from "./test-impact.ts";

/** The marker that finds our comment again: one comment per pull request, updated on every push. */
export const PR_COMMENT_MARKER = "<!-- shifty:test-impact -->";

type Risk = "low" | "medium" | "high";

export function riskOf(files: number, tests: ImpactedTest[]): Risk {
  if (tests.some((t) => t.status !== "healthy" || t.recentFailures > 0) || files > 30) return "high";
  return tests.length > 0 || files > 10 ? "medium" : "low";
}

export function renderComment(input: {
  risk: Risk;
  files: string[];
  tests: ImpactedTest[];
  pendingHeals: number;
  summary: string | null;
  note: string | null;
}): string {
  const flaky = input.tests.filter((t) => t.status !== "healthy");
  const lines = [
    PR_COMMENT_MARKER,
    "### Shifty test impact",
    "",
    `**Risk: ${input.risk}** — ${input.files.length} changed file(s), ${input.tests.length} affected test(s).`,
    "",
  ];
  if (input.tests.length > 0) {
    lines.push("| test | file | why | failures (14 d) |", "|---|---|---|---|");
    for (const t of input.tests)
      lines.push(
        `| ${t.name.replaceAll("|", "\\|")} | ${t.file ?? ""} | ${t.reason} | ${t.recentFailures} |`,
      );
    lines.push("");
  } else {
    lines.push("No test in this project's CI history maps to these files.", "");
  }
  if (flaky.length > 0)
    lines.push(`Known flaky or broken tests touched: ${flaky.map((t) => t.name).join(", ")}`, "");
  if (input.pendingHeals > 0) lines.push(`Healed locators awaiting review: ${input.pendingHeals}`, "");
  if (input.summary) lines.push("#### Summary", input.summary, "");
  if (input.note) lines.push(`_AI summary skipped: ${input.note}_`);
  return lines.join("\n").slice(0, 60_000);
}

/** GitHub `pull_request` → the affected tests, one PR comment (created or updated), AI summary if set. */
export async function runPrReview(
  deps: WorkflowDeps,
  run: WorkflowRun,
  payload: unknown,
): Promise<RunResult> {
  if (!run.projectId) return { status: "skipped", outcome: "No project for this repository" };
  const integration = await loadGithubIntegration(deps.db, run.orgId, run.projectId);
  if (!integration) return { status: "skipped", outcome: "The project has no GitHub integration" };
  const pr = objAt(payload, "pull_request");
  const number = typeof pr.number === "number" ? pr.number : Number.NaN;
  const [owner, repo] = (
    str(objAt(payload, "repository").full_name) ?? `${integration.owner}/${integration.repo}`
  ).split("/");
  if (!Number.isInteger(number) || !owner || !repo)
    return { status: "skipped", outcome: "No pull request number" };
  const token = await decryptSecret(
    deps.encryptionKey,
    integration.tokenSealed,
    githubTokenContext(run.orgId, run.projectId),
  );
  const github = new GitHubClient({
    baseUrl: deps.githubApiUrl,
    token,
    fetch: deps.fetch,
    userAgent: "shifty-ai",
  });
  const files = (await github.listPullFiles(owner, repo, number)).map((f) => f.filename);
  const tests = await impactedTests(deps.db, run.orgId, run.projectId, files, deps.now());
  const [heals] = await deps.db
    .select({ n: count() })
    .from(healedLocators)
    .where(
      and(
        eq(healedLocators.orgId, run.orgId),
        eq(healedLocators.projectId, run.projectId),
        eq(healedLocators.status, "pending"),
      ),
    );
  const risk = riskOf(files.length, tests);
  const ai = await tryAiTask(aiDepsOf(deps), {
    orgId: run.orgId,
    workflow: "pr_review",
    subject: run.subject,
    vars: {
      title: str(pr.title) ?? run.subject,
      files: files.slice(0, 100).join("\n"),
      tests: tests
        .map((t) => `${t.name} (${t.file ?? "?"}; ${t.status}; ${t.recentFailures} failures)`)
        .join("\n"),
    },
  });
  const body = renderComment({
    risk,
    files,
    tests,
    pendingHeals: Number(heals?.n ?? 0),
    summary: ai.answer?.text ?? null,
    note: ai.note,
  });
  const existing = (await github.listIssueComments(owner, repo, number)).find((c) =>
    c.body.includes(PR_COMMENT_MARKER),
  );
  const comment = await github.upsertIssueComment(owner, repo, number, body, existing?.id);
  return {
    status: "succeeded",
    outcome: `risk ${risk}; ${tests.length} affected test(s); comment ${existing ? "updated" : "created"}${ai.note ? `; ${ai.note}` : ""}`,
    targetUrl: comment.url || null,
    tokens: ai.answer ? ai.answer.tokensIn + ai.answer.tokensOut : 0,
    costMicros: ai.answer?.costMicros ?? 0,
  };
}
