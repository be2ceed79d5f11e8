/**
 * The normalised test report every parser produces: one entry per test with its final outcome.
 * Pure TypeScript (no bindings), shared by the ingest route, the cron rollup and bench/ingest.ts.
 */

import type { Run } from "../contract/ci.ts";

/** A test's outcome in one run. `flaky` = failed at least once and then passed (retry / rerun). */
export type TestOutcome = "passed" | "failed" | "skipped" | "flaky";

export type ReportFormat = "junit" | "playwright";

export type FailureDetail = { message: string; stack: string | null; type: string | null };

export type ParsedTest = {
  /** Source file when the report names one (pytest `file`, Playwright spec file, jest-junit `file`). */
  file: string | null;
  /** Suite / class name (JUnit `classname` or `<testsuite name>`, Playwright project). */
  suite: string;
  name: string;
  status: TestOutcome;
  durationMs: number;
  /** Extra attempts beyond the first (Playwright retries, Surefire reruns). */
  retries: number;
  /** The test carried a `shifty-heal` annotation / property: a selector was healed while it ran. */
  healed: boolean;
  failure: FailureDetail | null;
  /** Playwright tags (`@smoke`) and `tag` annotations; JUnit reports carry none. */
  tags?: string[];
};

export type ParsedReport = {
  format: ReportFormat;
  tests: ParsedTest[];
  /** Wall time of the run as the report states it, else the sum of test durations. */
  durationMs: number;
};

/** The run's counts, duration and status as the run shows them (shared/contract/ci.ts). */
export type ReportSummary = Pick<
  Run,
  "total" | "passed" | "failed" | "skipped" | "flaky" | "healed" | "durationMs" | "status"
>;

/**
 * A report that cannot be ingested. `malformed` (400): not well-formed XML/JSON. `unprocessable` (422):
 * well-formed but not a test report we understand. `detail` says what is wrong and where.
 */
export class ReportError extends Error {
  readonly kind: "malformed" | "unprocessable";
  constructor(kind: "malformed" | "unprocessable", detail: string) {
    super(detail);
    this.kind = kind;
    this.name = "ReportError";
  }
}

/** Messages and stacks are stored truncated: a cluster needs the head, not 2 MB of stdout. */
export const MAX_MESSAGE_CHARS = 2000;
export const MAX_STACK_CHARS = 4000;
/** ANSI colour/cursor escapes (jest and Playwright colour their messages). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is exactly what we strip.
export const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function cleanText(value: unknown, max: number): string | null {
  if (value === undefined || value === null) return null;
  const text = String(value).replace(ANSI, "").trim();
  if (!text) return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A failure as stored: message and stack cleaned and truncated; `fallback` when the message is empty. */
export function failureDetail(
  message: unknown,
  stack: unknown,
  fallback: string,
  type: string | null,
): FailureDetail {
  return {
    message: cleanText(message, MAX_MESSAGE_CHARS) ?? fallback,
    stack: cleanText(stack, MAX_STACK_CHARS),
    type,
  };
}

/** The identity of a test within a project: (file or suite, name). Stable across runs and formats. */
export function testKey(test: Pick<ParsedTest, "file" | "suite" | "name">): string {
  return `${test.file || test.suite}\u0000${test.name}`;
}

const RANK: Record<TestOutcome, number> = { skipped: 0, passed: 1, flaky: 2, failed: 3 };

/**
 * Collapses repeated entries for the same test in one report (older Surefire and some jest setups
 * print a rerun as a second `<testcase>`): a pass and a fail of the same test make it flaky.
 */
export function mergeDuplicates(tests: ParsedTest[]): ParsedTest[] {
  const byKey = new Map<string, ParsedTest>();
  for (const test of tests) {
    const key = testKey(test);
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, test);
      continue;
    }
    const mixed =
      (seen.status === "passed" && test.status === "failed") ||
      (seen.status === "failed" && test.status === "passed");
    const status: TestOutcome = mixed
      ? "flaky"
      : RANK[test.status] > RANK[seen.status]
        ? test.status
        : seen.status;
    byKey.set(key, {
      ...seen,
      status,
      durationMs: seen.durationMs + test.durationMs,
      retries: seen.retries + test.retries + 1,
      healed: seen.healed || test.healed,
      failure: seen.failure ?? test.failure,
      tags: [...new Set([...(seen.tags ?? []), ...(test.tags ?? [])])],
    });
  }
  return [...byKey.values()];
}

export function summarise(report: ParsedReport): ReportSummary {
  const s: ReportSummary = {
    total: report.tests.length,
    passed: 0,
    failed: 0,
    skipped: 0,
    flaky: 0,
    healed: 0,
    durationMs: Math.round(report.durationMs),
    status: "passed",
  };
  for (const t of report.tests) {
    s[t.status]++;
    if (t.healed) s.healed++;
  }
  s.status = s.failed > 0 ? "failed" : "passed";
  return s;
}

export function secondsToMs(value: unknown): number {
  if (value === undefined || value === null || value === "") return 0;
  const n = Number(String(value).replace(/,/g, ""));
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : 0;
}
