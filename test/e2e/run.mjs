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
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
const persistTo = join(work, "state");
const envFile = join(work, ".env");
const reportFile = join(work, "report.json");
// No FORCE_COLOR: with NO_COLOR set, Node warns about the pair in every child process.
const { FORCE_COLOR: _forceColor, ...inherited } = process.env;
const childEnv = { ...inherited, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };
let server = null;
let serverLog = "";

function cleanup() {
  if (server && server.exitCode === null) {
    try {
      process.kill(-server.pid, "SIGTERM"); // wrangler and its workerd child share the process group
    } catch {
      server.kill("SIGTERM");
    }
  }
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`wrangler dev exited with ${server.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no healthy answer from ${url}/healthz within ${timeoutMs / 1000}s`);
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
  log("applying D1 migrations to a fresh local database");
  execFileSync(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
    stdio: ["ignore", "ignore", "pipe"],
    env: childEnv,
  });
  const secret = () => randomBytes(32).toString("base64url");
  writeFileSync(envFile, `JWT_SECRET=${secret()}\nENCRYPTION_KEY=${secret()}\n`, { mode: 0o600 });
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  log(`starting wrangler dev on ${url}`);
  server = spawn(
    bin("wrangler"),
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      persistTo,
      "--env-file",
      envFile,
      "--var",
      `PUBLIC_URL:${url}`,
      "--var",
      `CORS_ORIGINS:${url}`,
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: childEnv, detached: true },
  );
  const keep = (chunk) => {
    serverLog = (serverLog + chunk.toString()).slice(-20_000);
  };
  server.stdout.on("data", keep);
  server.stderr.on("data", keep);
  await waitForHealth(url, 90_000);
  log("server healthy; running Playwright");

  // 4. Every suite's specs against it.
  const args = ["test", "-c", join("test", "e2e", "playwright.config.ts"), ...process.argv.slice(2)];
  if (process.env.SHIFTY_E2E_SUITE) args.push(join("test", "e2e", process.env.SHIFTY_E2E_SUITE));
  const playwright = spawn(bin("playwright"), args, {
    stdio: "inherit",
    env: {
      ...childEnv,
      SHIFTY_URL: url,
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
  if (exitCode !== 0 && serverLog) console.error(`[e2e] last wrangler output:\n${serverLog.slice(-4000)}`);
} catch (error) {
  console.error(`[e2e] FAIL: ${error instanceof Error ? error.message : error}`);
  if (serverLog) console.error(`[e2e] last wrangler output:\n${serverLog.slice(-4000)}`);
  writeSummary({ passed: 0, failed: 1, skipped: 0 });
  exitCode = 1;
} finally {
  cleanup();
}
process.exit(exitCode);
