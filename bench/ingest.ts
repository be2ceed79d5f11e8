/**
 * `npm run bench:ingest` — the CPU side of a report upload, run on the same shared/ci code the Worker
 * uses: parse + normalise + summarise + failure signatures + per-test flaky update + D1 row chunking,
 * for a generated 10k-test JUnit file and a 10k-test Playwright JSON report; then the flaky statistics
 * over 100k historical results. Prints a table and ends with one JSON line.
 *
 *   node --expose-gc bench/ingest.ts [--tests 10000] [--runs 7] [--history 100000]
 */
import { signaturesFor } from "../shared/ci/clustering.ts";
import { appendOutcome, EMPTY_HISTORY, flakyStats, type TestHistory } from "../shared/ci/flaky.ts";
import { chunkRows } from "../shared/ci/json-rows.ts";
import { parseReport } from "../shared/ci/parse.ts";
import {
  type ParsedReport,
  type ReportFormat,
  summarise,
  type TestOutcome,
  testKey,
} from "../shared/ci/report.ts";
import { seededRng } from "../shared/random.ts";
import { median } from "../shared/stats.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TESTS = arg("tests", 10_000);
const RUNS = arg("runs", 7);
const HISTORY = arg("history", 100_000);
const gc = (globalThis as { gc?: () => void }).gc;

const FAILURES = [
  "Error: expect(received).toBe(expected)\n\nExpected: {n}\nReceived: {m}",
  "TimeoutError: locator.click: Timeout {n}ms exceeded waiting for getByRole('button', { name: 'Pay' })",
  "AssertionError: expected 'order-{n}' to equal 'order-{m}'",
  "TypeError: Cannot read properties of undefined (reading 'total') at /srv/app/src/cart/{n}.ts:{m}:7",
];
const fill = (s: string, r: () => number) =>
  s.replace("{n}", String(Math.floor(r() * 10_000))).replace("{m}", String(Math.floor(r() * 10_000)));
const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Outcome mix of a real suite: ~93% pass, 3% fail, 2% skipped, 2% flaky. */
function outcomeFor(r: () => number): TestOutcome {
  const x = r();
  return x < 0.93 ? "passed" : x < 0.96 ? "failed" : x < 0.98 ? "skipped" : "flaky";
}

function generateJUnit(n: number): string {
  const r = seededRng(1); // seeded: every run benchmarks the same report
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench" tests="${n}" time="812.5">`,
  ];
  const perSuite = 50;
  for (let s = 0; s < n / perSuite; s++) {
    parts.push(
      `<testsuite name="com.acme.module${s}.FeatureTest" tests="${perSuite}" time="4.2" file="src/module${s}/feature.test.ts">`,
    );
    for (let i = 0; i < perSuite; i++) {
      const o = outcomeFor(r);
      const msg = esc(fill(FAILURES[Math.floor(r() * FAILURES.length)]!, r));
      const stack = `${msg}\n    at Context.check (/home/runner/work/app/src/module${s}/feature.test.ts:${10 + i}:5)\n    at run (/home/runner/work/app/node_modules/mocha/lib/runner.js:1:1)`;
      const head = `<testcase classname="com.acme.module${s}.FeatureTest" name="case ${i} handles input ${i * 7}" time="${(r() * 2).toFixed(3)}">`;
      if (o === "passed") parts.push(`${head}</testcase>`);
      else if (o === "skipped") parts.push(`${head}<skipped message="not on CI"/></testcase>`);
      else if (o === "failed")
        parts.push(
          `${head}<failure message="${msg}" type="AssertionError">${stack}</failure><system-out>log line ${i}</system-out></testcase>`,
        );
      else
        parts.push(
          `${head}<flakyFailure message="${msg}" type="AssertionError"><stackTrace>${stack}</stackTrace></flakyFailure></testcase>`,
        );
    }
    parts.push("</testsuite>");
  }
  parts.push("</testsuites>");
  return parts.join("\n");
}

function generatePlaywright(n: number): string {
  const r = seededRng(2);
  const suites: unknown[] = [];
  const perFile = 40;
  for (let f = 0; f < n / perFile; f++) {
    const file = `area${f}/flow.spec.ts`;
    const specs: unknown[] = [];
    for (let i = 0; i < perFile; i++) {
      const o = outcomeFor(r);
      const err = () => {
        const message = fill(FAILURES[Math.floor(r() * FAILURES.length)]!, r);
        return { message, stack: `${message}\n    at /home/runner/work/app/e2e/${file}:${12 + i}:9` };
      };
      const result = (status: string, retry: number) => ({
        workerIndex: retry,
        parallelIndex: 0,
        status,
        duration: Math.round(r() * 4000),
        retry,
        startTime: "2026-11-20T10:00:00.000Z",
        annotations: [],
        attachments: [],
        stdout: [],
        stderr: [],
        errors: status === "failed" ? [err()] : [],
        ...(status === "failed" ? { error: err() } : {}),
      });
      const results =
        o === "passed"
          ? [result("passed", 0)]
          : o === "skipped"
            ? [result("skipped", 0)]
            : o === "failed"
              ? [result("failed", 0), result("failed", 1), result("failed", 2)]
              : [result("failed", 0), result("passed", 1)];
      specs.push({
        title: `user can do thing ${i}`,
        ok: o !== "failed",
        tags: [],
        id: `${f}-${i}`,
        file,
        line: 10 + i,
        column: 5,
        tests: [
          {
            timeout: 30000,
            annotations: r() < 0.01 ? [{ type: "shifty-heal", description: "#old → #new (0.9)" }] : [],
            expectedStatus: o === "skipped" ? "skipped" : "passed",
            projectId: "chromium",
            projectName: "chromium",
            results,
            status: { passed: "expected", failed: "unexpected", skipped: "skipped", flaky: "flaky" }[o],
          },
        ],
      });
    }
    suites.push({ title: file, file, line: 0, column: 0, specs, suites: [] });
  }
  return JSON.stringify({
    config: { version: "1.65.0", workers: 4, projects: [{ id: "chromium", name: "chromium", retries: 2 }] },
    suites,
    errors: [],
    stats: {
      startTime: "2026-11-20T10:00:00.000Z",
      duration: 912345.6,
      expected: 0,
      skipped: 0,
      unexpected: 0,
      flaky: 0,
    },
  });
}

/** What the Worker computes per upload before writing: everything except the D1 round-trips. */
async function ingestCompute(
  format: ReportFormat,
  body: string,
): Promise<{ report: ParsedReport; chunks: number }> {
  const report = parseReport(format, body);
  const summary = summarise(report);
  const failing = report.tests.filter((t) => t.failure && (t.status === "failed" || t.status === "flaky"));
  const signatures = await signaturesFor(failing.map((t) => t.failure!));
  const now = Date.now();
  const rows: unknown[][] = [];
  for (const t of report.tests) {
    const h = appendOutcome(EMPTY_HISTORY, t.status, now, "0123abc");
    const s = flakyStats(h.recent, now);
    rows.push([
      testKey(t),
      t.status,
      t.durationMs,
      t.retries,
      t.healed ? 1 : 0,
      t.failure?.message ?? null,
      t.failure?.stack ?? null,
      s.status,
    ]);
  }
  const chunks = chunkRows(rows).length;
  if (summary.total !== report.tests.length || signatures.length !== failing.length)
    throw new Error("inconsistent");
  return { report, chunks };
}

const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

async function benchFormat(format: ReportFormat, body: string) {
  const times: number[] = [];
  let peakHeap = 0;
  let retainedHeap = 0;
  let chunks = 0;
  let summary = summarise({ format, tests: [], durationMs: 0 });
  for (let i = 0; i < RUNS; i++) {
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const out = await ingestCompute(format, body);
    times.push(performance.now() - t0);
    const after = process.memoryUsage().heapUsed;
    peakHeap = Math.max(peakHeap, after - before);
    gc?.();
    retainedHeap = Math.max(retainedHeap, process.memoryUsage().heapUsed - before);
    chunks = out.chunks;
    summary = summarise(out.report);
  }
  return {
    format,
    bytes: body.length,
    medianMs: Math.round(median(times)! * 10) / 10,
    minMs: Math.round(Math.min(...times) * 10) / 10,
    heapGrowthMiB: mib(peakHeap),
    retainedMiB: mib(retainedHeap),
    d1Chunks: chunks,
    summary,
  };
}

function benchFlaky(results: number) {
  const tests = Math.max(1, Math.floor(results / 50));
  const r = seededRng(3);
  const histories: TestHistory[] = Array.from({ length: tests }, () => EMPTY_HISTORY);
  const start = Date.now() - 10 * 24 * 3600 * 1000;
  const flakiness = histories.map(() => (r() < 0.1 ? 0.2 : r() < 0.02 ? 1 : 0.005));
  const t0 = performance.now();
  for (let run = 0; run < 50; run++) {
    const commit = `c${run >> 1}`; // two runs per commit, so same-commit flips happen
    for (let i = 0; i < tests; i++) {
      const p = flakiness[i]!;
      const o: TestOutcome = r() < p ? (r() < 0.5 ? "flaky" : "failed") : "passed";
      histories[i] = appendOutcome(histories[i]!, o, start + run * 3600_000, commit);
    }
  }
  const appendMs = performance.now() - t0;
  const t1 = performance.now();
  const counts = { healthy: 0, flaky: 0, broken: 0 };
  for (const h of histories) counts[flakyStats(h.recent, Date.now()).status]++;
  const statsMs = performance.now() - t1;
  return { results: tests * 50, tests, appendMs: Math.round(appendMs), statsMs: Math.round(statsMs), counts };
}

const junitBody = generateJUnit(TESTS);
const pwBody = generatePlaywright(TESTS);
const junit = await benchFormat("junit", junitBody);
const playwright = await benchFormat("playwright", pwBody);
const flaky = benchFlaky(HISTORY);
const rssMiB = mib(process.memoryUsage().rss);

const rows: [string, string][] = [
  ["JUnit report", `${TESTS} tests, ${mib(junit.bytes)} MiB`],
  ["  parse+normalise+summarise (median)", `${junit.medianMs} ms (min ${junit.minMs})`],
  ["  heap growth after a run / after GC", `${junit.heapGrowthMiB} / ${junit.retainedMiB} MiB`],
  ["  D1 result statements (≤256 KiB JSON)", String(junit.d1Chunks)],
  ["Playwright JSON report", `${TESTS} tests, ${mib(playwright.bytes)} MiB`],
  ["  parse+normalise+summarise (median)", `${playwright.medianMs} ms (min ${playwright.minMs})`],
  ["  heap growth after a run / after GC", `${playwright.heapGrowthMiB} / ${playwright.retainedMiB} MiB`],
  ["  D1 result statements (≤256 KiB JSON)", String(playwright.d1Chunks)],
  [`Flaky stats over ${flaky.results} results`, `${flaky.tests} tests × 50 runs`],
  ["  append outcomes / compute stats", `${flaky.appendMs} ms / ${flaky.statsMs} ms`],
  [
    "  statuses",
    `${flaky.counts.healthy} healthy, ${flaky.counts.flaky} flaky, ${flaky.counts.broken} broken`,
  ],
  ["Process RSS at end", `${rssMiB} MiB${gc ? "" : " (run with --expose-gc for heap figures)"}`],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`bench:ingest — Node ${process.version}, ${RUNS} runs per format`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
console.log(
  JSON.stringify({
    bench: "ingest",
    tests: TESTS,
    runs: RUNS,
    junit: {
      bytes: junit.bytes,
      medianMs: junit.medianMs,
      heapGrowthMiB: junit.heapGrowthMiB,
      retainedMiB: junit.retainedMiB,
      d1Statements: junit.d1Chunks,
      summary: junit.summary,
    },
    playwright: {
      bytes: playwright.bytes,
      medianMs: playwright.medianMs,
      heapGrowthMiB: playwright.heapGrowthMiB,
      retainedMiB: playwright.retainedMiB,
      d1Statements: playwright.d1Chunks,
      summary: playwright.summary,
    },
    flaky,
    rssMiB,
  }),
);
