// `npm test`: the Workers-pool suite (vitest inside workerd), then the real-browser suites (test/e2e)
// when a Chromium is available. SHIFTY_REQUIRE_BROWSER=1 (set by .ci/run) makes a missing browser a failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = (name) => join(process.cwd(), "node_modules", ".bin", name);
const totals = { passed: 0, failed: 0, skipped: 0 };
let failed = false;

const reportDir = mkdtempSync(join(tmpdir(), "shifty-test-"));

/** Runs one vitest project with a JSON report and adds its counts to the totals; false when it failed. */
function runVitest(reportName, extraArgs) {
  const report = join(reportDir, reportName);
  const run = spawnSync(
    bin("vitest"),
    ["run", ...extraArgs, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
    { stdio: "inherit" },
  );
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, "utf8"));
    totals.passed += r.numPassedTests ?? 0;
    totals.failed += r.numFailedTests ?? 0;
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  return run.status === 0;
}

if (!runVitest("vitest.json", [])) failed = true;
// The SDK packages' unit tests run in Node (sdk/vitest.config.ts), not in the Workers pool.
if (!runVitest("sdk.json", ["--config", join("sdk", "vitest.config.ts")])) failed = true;

// The SDK release check: semver + CHANGELOG, and each `npm pack` tarball installed and smoke-tested.
const release = spawnSync(process.execPath, [join("scripts", "sdk-release-check.mjs")], { encoding: "utf8" });
process.stdout.write(release.stdout ?? "");
process.stderr.write(release.stderr ?? "");
const releaseCounts = /sdk release: (\d+) passed, (\d+) failed/.exec(release.stdout ?? "");
totals.passed += Number(releaseCounts?.[1] ?? 0);
totals.failed += Number(releaseCounts?.[2] ?? (release.status === 0 ? 0 : 1));
if (release.status !== 0) failed = true;

const e2eRunner = join("test", "e2e", "run.mjs");
if (existsSync(e2eRunner)) {
  const e2eReport = join(reportDir, "e2e.json");
  const e2e = spawnSync(process.execPath, [e2eRunner], {
    stdio: "inherit",
    env: { ...process.env, SHIFTY_E2E_SUMMARY: e2eReport },
  });
  if (existsSync(e2eReport)) {
    const r = JSON.parse(readFileSync(e2eReport, "utf8"));
    totals.passed += r.passed ?? 0;
    totals.failed += r.failed ?? 0;
    totals.skipped += r.skipped ?? 0;
  }
  if (e2e.status !== 0) failed = true;
}
// The MCP server through the official MCP client over Streamable HTTP, against `wrangler dev` (so the
// assets router's run_worker_first list is exercised too).
if (existsSync(e2eRunner)) {
  const mcp = spawnSync(process.execPath, [join("test", "e2e", "mcp-client.mjs")], { stdio: "inherit" });
  if (mcp.status === 0) totals.passed += 1;
  else {
    totals.failed += 1;
    failed = true;
  }
}
rmSync(reportDir, { recursive: true, force: true });

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failed || totals.failed > 0 ? 1 : 0);
