// Real-browser end-to-end tests (`npm run test:e2e`, and the second half of `npm test`).
//
// Builds the dashboard, starts a throwaway local Shifty (`wrangler dev` on a free port, a fresh
// --persist-to directory with the D1 migrations applied, random secrets in a temp --env-file), waits for
// /healthz, then runs every suite under test/e2e/<suite>/*.spec.ts with @playwright/test in the
// system's Chromium (never a downloaded browser). Suites reach the server through SHIFTY_URL.
//
// Env:  CHROMIUM_PATH (default /usr/bin/chromium) · SHIFTY_REQUIRE_BROWSER=1 (a missing browser fails)
//       SHIFTY_E2E_SUMMARY=<file> (receives {"passed","failed","skipped"}) · SHIFTY_E2E_SUITE=<folder>
//       (run one suite only) · SHIFTY_E2E_SKIP_BUILD=1 (reuse web/dist) · extra args go to playwright.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startLocalServer } from "../../scripts/local-server.mjs";

const root = process.cwd();
const bin = (name) => join(root, "node_modules", ".bin", name);
const summaryPath = process.env.SHIFTY_E2E_SUMMARY;
const log = (line) => console.log(`[e2e] ${line}`);

function writeSummary(summary) {
  if (summaryPath) writeFileSync(summaryPath, JSON.stringify(summary));
}

// 1. A browser, or a clear skip.
const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
if (!existsSync(chromium)) {
  if (process.env.SHIFTY_REQUIRE_BROWSER === "1") {
    console.error(
      `[e2e] FAIL: no Chromium at ${chromium} and SHIFTY_REQUIRE_BROWSER=1. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
    writeSummary({ passed: 0, failed: 1, skipped: 0 });
    process.exit(1);
  }
  log(
    `SKIP: browser tests skipped, no Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
  writeSummary({ passed: 0, failed: 0, skipped: 0 });
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), "shifty-e2e-"));
const reportFile = join(work, "report.json");
// No FORCE_COLOR: with NO_COLOR set, Node warns about the pair in every child process.
const { FORCE_COLOR: _forceColor, ...inherited } = process.env;
const childEnv = { ...inherited, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };
let server = null;
const serverLog = (error) => error?.serverOutput ?? server?.output() ?? "";

function cleanup() {
  server?.stop();
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

let exitCode = 1;
try {
  // 2. The dashboard the Worker serves as assets.
  if (process.env.SHIFTY_E2E_SKIP_BUILD !== "1") {
    log("building the dashboard");
    execFileSync("npm", ["run", "--silent", "build:web"], {
      stdio: ["ignore", "ignore", "inherit"],
      env: childEnv,
    });
  }

  // 3. A fresh local Shifty.
  log("applying D1 migrations to a fresh local database and starting wrangler dev");
  // Jira calls go to a port a spec listens on with its own fake Jira (dashboard/jira.spec.ts).
  const jiraPort = await freePort();
  server = await startLocalServer({
    work,
    env: childEnv,
    vars: (url) => ({ CORS_ORIGINS: url, JIRA_API_URL: `http://127.0.0.1:${jiraPort}` }),
  });
  const url = server.url;
  log(`server on ${url}`);
  log("server healthy; running Playwright");

  // 4. Every suite's specs against it.
  const args = ["test", "-c", join("test", "e2e", "playwright.config.ts"), ...process.argv.slice(2)];
  if (process.env.SHIFTY_E2E_SUITE) args.push(join("test", "e2e", process.env.SHIFTY_E2E_SUITE));
  const playwright = spawn(bin("playwright"), args, {
    stdio: "inherit",
    env: {
      ...childEnv,
      SHIFTY_URL: url,
      SHIFTY_FAKE_JIRA_PORT: String(jiraPort),
      CHROMIUM_PATH: chromium,
      // The config's JSON reporter writes here (an explicit path, so it does not leak into nested runs).
      SHIFTY_E2E_JSON: reportFile,
    },
  });
  const status = await new Promise((resolve) => playwright.on("exit", (code) => resolve(code ?? 1)));

  let summary = { passed: 0, failed: status === 0 ? 0 : 1, skipped: 0 };
  if (existsSync(reportFile)) {
    const stats = JSON.parse(readFileSync(reportFile, "utf8")).stats ?? {};
    summary = {
      passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
      failed: stats.unexpected ?? 0,
      skipped: stats.skipped ?? 0,
    };
    // A run that failed before any test (config error, no specs) still counts as a failure.
    if (status !== 0 && summary.failed === 0) summary.failed = 1;
  }
  writeSummary(summary);
  log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  exitCode = status === 0 && summary.failed === 0 ? 0 : 1;
  if (exitCode !== 0 && serverLog())
    console.error(`[e2e] last wrangler output:\n${serverLog().slice(-4000)}`);
} catch (error) {
  console.error(`[e2e] FAIL: ${error instanceof Error ? error.message : error}`);
  if (serverLog(error)) console.error(`[e2e] last wrangler output:\n${serverLog(error).slice(-4000)}`);
  writeSummary({ passed: 0, failed: 1, skipped: 0 });
  exitCode = 1;
} finally {
  cleanup();
}
process.exit(exitCode);
