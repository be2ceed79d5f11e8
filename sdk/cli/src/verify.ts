// The verify loop of `shifty generate`: runs the written suite N times (Playwright's --repeat-each, in
// the installed Chromium), rewrites tests whose only failing line is one assertion (the assertion goes)
// and drops tests that still fail, so only tests that passed every repeat are kept.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

export type VerifyResult = {
  kept: number;
  rewritten: number;
  dropped: number;
  runs: number;
  failedRuns: number;
};

type JsonSpec = {
  title: string;
  file: string;
  tests: {
    results: {
      status: string;
      errorLocation?: { line: number };
      errors?: { location?: { line: number } }[];
    }[];
  }[];
};
type JsonSuite = { specs?: JsonSpec[]; suites?: JsonSuite[] };

export function playwrightCli(cwd: string): string {
  return createRequire(join(cwd, "noop.js")).resolve("@playwright/test/cli");
}

/** Runs the suite once with --repeat-each; resolves each test's failing lines (empty when stable). */
export async function runSuite(
  dir: string,
  repeats: number,
  env: Record<string, string | undefined>,
  cwd: string,
  extraArgs: readonly string[] = [],
): Promise<{ failures: Map<string, number[]>; runs: number; failedRuns: number }> {
  const report = join(dir, ".shifty-report.json");
  rmSync(report, { force: true });
  await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        playwrightCli(cwd),
        "test",
        "-c",
        join(dir, "playwright.config.ts"),
        "--repeat-each",
        String(repeats),
        "--reporter",
        "json",
        "--workers",
        "2",
        "--output",
        join(dir, ".shifty-results"),
        ...extraArgs,
      ],
      { cwd, env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: report }, stdio: ["ignore", "ignore", "ignore"] },
    );
    child.on("exit", (code) => resolve(code ?? 1));
  });
  rmSync(join(dir, ".shifty-results"), { recursive: true, force: true });
  const failures = new Map<string, number[]>();
  let runs = 0;
  let failedRuns = 0;
  if (!existsSync(report))
    throw new Error("the generated suite did not run (no report); check the config and browser");
  const walk = (suite: JsonSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        for (const r of t.results) {
          runs++;
          if (r.status === "passed") continue;
          failedRuns++;
          const key = `${spec.file.split("/").pop()}\u0000${spec.title}`;
          const line = r.errors?.[0]?.location?.line ?? r.errorLocation?.line ?? 0;
          failures.set(key, [...(failures.get(key) ?? []), line]);
        }
      }
    }
    for (const s of suite.suites ?? []) walk(s);
  };
  walk(JSON.parse(readFileSync(report, "utf8")) as JsonSuite);
  rmSync(report, { force: true });
  return { failures, runs, failedRuns };
}

/** The line span [start, end] of the test titled `title` (its intent comment included), 1-based. */
function testSpan(lines: string[], title: string): [number, number] | null {
  const start = lines.findIndex((l) => l.startsWith(`test(${JSON.stringify(title)},`));
  if (start < 0) return null;
  const end = lines.indexOf("});", start);
  return [lines[start - 1]?.startsWith("//") ? start : start + 1, end + 1];
}

/** Edits the spec files: drops or rewrites each failing test. Returns what it did. */
export function applyFailures(dir: string, failures: Map<string, number[]>, allowRewrite: boolean) {
  let rewritten = 0;
  let dropped = 0;
  const byFile = new Map<string, [string, number[]][]>();
  for (const [key, lines] of failures) {
    const [file, title] = key.split("\u0000") as [string, string];
    byFile.set(file, [...(byFile.get(file) ?? []), [title, lines]]);
  }
  for (const [file, tests] of byFile) {
    const path = join(dir, file);
    const lines = readFileSync(path, "utf8").split("\n");
    for (const [title, failing] of tests) {
      const span = testSpan(lines, title);
      if (!span) continue;
      const [start, end] = span;
      const only = new Set(failing);
      const line = failing[0]!;
      const body = lines.slice(start, end - 1);
      const assertions = body.filter((l) => l.trim().startsWith("await expect(")).length;
      if (
        allowRewrite &&
        only.size === 1 &&
        lines[line - 1]?.trim().startsWith("await expect(") &&
        assertions > 1
      ) {
        lines.splice(line - 1, 1);
        rewritten++;
      } else {
        lines.splice(start - 1, end - start + 1 + (lines[end] === "" ? 1 : 0));
        dropped++;
      }
    }
    const left = lines.some((l) => l.startsWith("test("));
    if (left) writeFileSync(path, lines.join("\n"));
    else rmSync(path);
  }
  return { rewritten, dropped };
}

/** Verify, repair, re-verify (up to three rounds), then drop whatever still fails. */
export async function verifySuite(
  dir: string,
  repeats: number,
  env: Record<string, string | undefined>,
  cwd: string,
  log: (line: string) => void,
): Promise<VerifyResult> {
  let rewritten = 0;
  let dropped = 0;
  let first: { runs: number; failedRuns: number } | null = null;
  for (let round = 1; round <= 3; round++) {
    const result = await runSuite(dir, repeats, env, cwd);
    first ??= result;
    log(`verify round ${round}: ${result.failedRuns}/${result.runs} test runs failed`);
    if (result.failures.size === 0) break;
    const fixed = applyFailures(dir, result.failures, round < 3);
    rewritten += fixed.rewritten;
    dropped += fixed.dropped;
  }
  const kept = countTests(dir);
  return { kept, rewritten, dropped, runs: first?.runs ?? 0, failedRuns: first?.failedRuns ?? 0 };
}

export function countTests(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".spec.ts"))
    .reduce((n, f) => n + (readFileSync(join(dir, f), "utf8").match(/^test\(/gm)?.length ?? 0), 0);
}
