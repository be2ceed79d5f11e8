import {
  type FailureDetail,
  failureDetail,
  type ParsedReport,
  type ParsedTest,
  ReportError,
} from "./report.ts";

/**
 * The @playwright/test JSON reporter (`--reporter=json`): config, suites (nested by file and describe),
 * specs, one test per project with its results (one per attempt). The final status is Playwright's own
 * verdict: expected → passed, unexpected → failed, flaky (failed then passed on retry), skipped.
 * An annotation `{ type: "shifty-heal" }` on the test or on any attempt marks the test as healed.
 * A spec's `tags` (`@smoke`, from `{ tag }` or the title) and `{ type: "tag", description }` annotations
 * become the test's tags.
 */
type PwError = { message?: unknown; stack?: unknown; value?: unknown };
type PwResult = {
  status?: unknown;
  duration?: unknown;
  error?: PwError;
  errors?: PwError[];
  annotations?: unknown;
};
type PwTest = {
  status?: unknown;
  projectName?: unknown;
  projectId?: unknown;
  annotations?: unknown;
  results?: unknown;
};
type PwSpec = { title?: unknown; file?: unknown; tests?: unknown; tags?: unknown };
type PwSuite = { title?: unknown; file?: unknown; specs?: unknown; suites?: unknown };

export function parsePlaywrightJson(text: string): ParsedReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ReportError("malformed", `malformed JSON: ${(error as Error).message}`);
  }
  return parsePlaywrightReport(doc);
}

export function parsePlaywrightReport(doc: unknown): ParsedReport {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    throw new ReportError("unprocessable", "a Playwright report is a JSON object with config and suites");
  }
  const report = doc as { suites?: unknown; stats?: { duration?: unknown } };
  if (!Array.isArray(report.suites) || report.suites.length === 0) {
    throw new ReportError("unprocessable", "Playwright report has no suites");
  }
  const tests: ParsedTest[] = [];
  report.suites.forEach((suite, i) => {
    walkSuite(suite as PwSuite, [], null, `suites[${i}]`, tests);
  });
  if (tests.length === 0)
    throw new ReportError("unprocessable", "Playwright report has no tests in its suites");
  const statsDuration = Number(report.stats?.duration);
  let durationMs = Number.isFinite(statsDuration) && statsDuration > 0 ? Math.round(statsDuration) : 0;
  if (!durationMs) for (const t of tests) durationMs += t.durationMs;
  return { format: "playwright", tests, durationMs };
}

/** Real reports nest describe blocks a handful deep; a deeper document is an attack on the stack. */
export const MAX_SUITE_DEPTH = 64;

function walkSuite(suite: PwSuite, titles: string[], file: string | null, where: string, out: ParsedTest[]) {
  if (titles.length > MAX_SUITE_DEPTH || where.length > 16 * MAX_SUITE_DEPTH) {
    throw new ReportError("unprocessable", `suites nest deeper than ${MAX_SUITE_DEPTH} levels`);
  }
  if (!suite || typeof suite !== "object")
    throw new ReportError("unprocessable", `${where} is not a suite object`);
  const suiteFile = typeof suite.file === "string" && suite.file ? suite.file : file;
  const title = typeof suite.title === "string" ? suite.title : "";
  // The top-level suite is the file; its title is the file name, not a describe block.
  const path = file === null || title === "" || title === suiteFile ? titles : [...titles, title];
  if (suite.specs !== undefined && !Array.isArray(suite.specs)) {
    throw new ReportError("unprocessable", `${where}.specs must be an array`);
  }
  (suite.specs as PwSpec[] | undefined)?.forEach((spec, i) => {
    collectSpec(spec, path, suiteFile, `${where}.specs[${i}]`, out);
  });
  if (suite.suites !== undefined && !Array.isArray(suite.suites)) {
    throw new ReportError("unprocessable", `${where}.suites must be an array`);
  }
  (suite.suites as PwSuite[] | undefined)?.forEach((child, i) => {
    walkSuite(child, path, suiteFile, `${where}.suites[${i}]`, out);
  });
}

function collectSpec(spec: PwSpec, titles: string[], file: string | null, where: string, out: ParsedTest[]) {
  if (!spec || typeof spec !== "object" || typeof spec.title !== "string") {
    throw new ReportError("unprocessable", `${where} has no title`);
  }
  if (!Array.isArray(spec.tests)) throw new ReportError("unprocessable", `${where}.tests must be an array`);
  const specFile = typeof spec.file === "string" && spec.file ? spec.file : file;
  const titlePath = [...titles, spec.title].join(" › ");
  const specTags = Array.isArray(spec.tags) ? spec.tags : [];
  (spec.tests as PwTest[]).forEach((test, i) => {
    if (!test || typeof test !== "object")
      throw new ReportError("unprocessable", `${where}.tests[${i}] is not an object`);
    const project = typeof test.projectName === "string" && test.projectName ? test.projectName : "";
    const results = Array.isArray(test.results) ? (test.results as PwResult[]) : [];
    let durationMs = 0;
    let failure: FailureDetail | null = null;
    let healed = hasHeal(test.annotations);
    for (const result of results) {
      const d = Number(result?.duration);
      if (Number.isFinite(d) && d > 0) durationMs += d;
      if (hasHeal(result?.annotations)) healed = true;
      const err = result?.error ?? (Array.isArray(result?.errors) ? result.errors[0] : undefined);
      if (
        err &&
        (result?.status === "failed" || result?.status === "timedOut" || result?.status === "interrupted")
      ) {
        failure = toFailure(err, result.status);
      } else if (!failure && result?.status === "timedOut") {
        failure = { message: "Test timeout exceeded", stack: null, type: "timedOut" };
      }
    }
    out.push({
      file: specFile,
      suite: project,
      name: project ? `[${project}] ${titlePath}` : titlePath,
      status: outcome(test, results, where, i),
      durationMs: Math.round(durationMs),
      retries: Math.max(0, results.length - 1),
      healed,
      failure,
      tags: tagsOf(specTags, test.annotations),
    });
  });
}

function outcome(test: PwTest, results: PwResult[], where: string, i: number): ParsedTest["status"] {
  switch (test.status) {
    case "expected":
      return "passed";
    case "unexpected":
      return "failed";
    case "flaky":
      return "flaky";
    case "skipped":
      return "skipped";
    case undefined: {
      // Older reports omit test.status: derive it from the attempts.
      const statuses = results.map((r) => r?.status);
      if (statuses.length === 0 || statuses.every((s) => s === "skipped")) return "skipped";
      const last = statuses.at(-1);
      if (last === "passed") return statuses.length > 1 ? "flaky" : "passed";
      return "failed";
    }
    default:
      throw new ReportError(
        "unprocessable",
        `${where}.tests[${i}].status "${String(test.status)}" is not a Playwright status`,
      );
  }
}

/** At most this many tags per test, each at most MAX_TAG_CHARS: they are stored and searched. */
const MAX_TAGS = 20;
const MAX_TAG_CHARS = 100;

function tagsOf(specTags: unknown[], annotations: unknown): string[] {
  const fromAnnotations = Array.isArray(annotations)
    ? annotations
        .filter((a) => (a as { type?: unknown })?.type === "tag")
        .map((a) => (a as { description?: unknown }).description)
    : [];
  const tags = [...specTags, ...fromAnnotations]
    .filter((t): t is string => typeof t === "string")
    .map((t) => t.trim())
    .filter((t) => t.length > 0 && t.length <= MAX_TAG_CHARS);
  return [...new Set(tags)].slice(0, MAX_TAGS);
}

function hasHeal(annotations: unknown): boolean {
  return (
    Array.isArray(annotations) && annotations.some((a) => (a as { type?: unknown })?.type === "shifty-heal")
  );
}

function toFailure(err: PwError, status: unknown): FailureDetail {
  const raw = typeof err.message === "string" ? err.message : typeof err.value === "string" ? err.value : "";
  const stack = typeof err.stack === "string" ? err.stack : null;
  const timedOut = status === "timedOut";
  // Playwright's stack starts with the message; keep the full text (message + call log + frames).
  return failureDetail(
    raw,
    stack ?? raw,
    timedOut ? "Test timeout exceeded" : "failed",
    timedOut ? "timedOut" : null,
  );
}
