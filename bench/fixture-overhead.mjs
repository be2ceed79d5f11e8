// `npm run bench:fixture`: what the Shifty Playwright fixture costs when nothing is broken.
//
// Runs the demo suite (test/e2e/sdk/demo) against the v1 markup N times with the fixture on and N times
// with plain @playwright/test, alternating, in real headless Chromium. Reports the median suite wall time
// of each, the overhead % (goal ≤ 5%), the median summed test durations, and the network calls the
// fixture made: SHIFTY_URL points at a local counting server, and with nothing broken it must get none.
//
// Env: BENCH_RUNS (default 5 per side) · CHROMIUM_PATH (default /usr/bin/chromium)
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { median } from "../shared/stats.ts";

const root = process.cwd();
const runs = Number(process.env.BENCH_RUNS ?? 5);
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(
    `bench:fixture needs Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
  process.exit(1);
}
const appDir = join(root, "test", "e2e", "sdk", "demo", "app");
const work = mkdtempSync(join(tmpdir(), "shifty-bench-fixture-"));

const listen = (server) =>
  new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`)),
  );

const demo = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
  try {
    const body = await readFile(join(appDir, path.endsWith("/") ? `${path}index.html` : path));
    res
      .writeHead(200, { "content-type": extname(path) === ".js" ? "text/javascript" : "text/html" })
      .end(body);
  } catch {
    res.writeHead(404).end();
  }
});
let shiftyCalls = 0;
const fakeShifty = createServer((_req, res) => {
  shiftyCalls++;
  res.writeHead(503, { "content-type": "application/problem+json" }).end("{}");
});
const demoUrl = await listen(demo);
const shiftyUrl = await listen(fakeShifty);

function runSuite(fixture, i) {
  const report = join(work, `${fixture}-${i}.json`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(root, "node_modules", ".bin", "playwright"),
      ["test", "-c", join("test", "e2e", "sdk", "demo", "playwright.config.ts")],
      {
        cwd: root,
        stdio: ["ignore", "ignore", "pipe"],
        env: {
          ...process.env,
          CHROMIUM_PATH: chromium,
          DEMO_URL: `${demoUrl}/v1/`,
          DEMO_REPORT: report,
          DEMO_OUTPUT: join(work, "results"),
          SHIFTY_FIXTURE: fixture,
          SHIFTY_URL: shiftyUrl,
          SHIFTY_API_KEY: "shf_bench",
          SHIFTY_PROJECT_ID: "prj_bench",
          SHIFTY_UPLOAD: "0",
          SHIFTY_CACHE_DIR: join(work, ".shifty"),
          PLAYWRIGHT_JSON_OUTPUT_NAME: "",
        },
      },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0)
        return reject(new Error(`demo suite (${fixture}) exited ${code}\n${stderr.slice(-2000)}`));
      const json = JSON.parse(readFileSync(report, "utf8"));
      let testMs = 0;
      const walk = (suite) => {
        for (const spec of suite.specs ?? [])
          for (const t of spec.tests) for (const r of t.results) testMs += r.duration;
        for (const child of suite.suites ?? []) walk(child);
      };
      for (const suite of json.suites) walk(suite);
      resolve({ wallMs, testMs, passed: json.stats.expected });
    });
  });
}

const results = { on: [], off: [] };
try {
  // One warm-up of each (compiles the TS config and fills the OS cache), not measured.
  await runSuite("on", "warm");
  await runSuite("off", "warm");
  for (let i = 0; i < runs; i++) {
    // Alternate which side goes first so drift on a shared machine hits both equally.
    for (const side of i % 2 === 0 ? ["on", "off"] : ["off", "on"]) {
      const r = await runSuite(side, i);
      results[side].push(r);
      console.error(
        `run ${i + 1}/${runs} fixture ${side.padEnd(3)}: ${(r.wallMs / 1000).toFixed(2)} s wall, ${(r.testMs / 1000).toFixed(2)} s in tests, ${r.passed} passed`,
      );
    }
  }
} finally {
  demo.close();
  fakeShifty.close();
  rmSync(work, { recursive: true, force: true });
}

const on = median(results.on.map((r) => r.wallMs));
const off = median(results.off.map((r) => r.wallMs));
const onTests = median(results.on.map((r) => r.testMs));
const offTests = median(results.off.map((r) => r.testMs));
const overheadPct = ((on - off) / off) * 100;
const summary = {
  bench: "fixture-overhead",
  runsPerSide: runs,
  tests: results.on[0]?.passed ?? 0,
  medianWallMsFixtureOn: Math.round(on),
  medianWallMsFixtureOff: Math.round(off),
  overheadPct: Number(overheadPct.toFixed(2)),
  medianTestMsFixtureOn: Math.round(onTests),
  medianTestMsFixtureOff: Math.round(offTests),
  testTimeOverheadPct: Number((((onTests - offTests) / offTests) * 100).toFixed(2)),
  networkCalls: shiftyCalls,
  goal: { overheadPct: 5, networkCalls: 0 },
  ok: overheadPct <= 5 && shiftyCalls === 0,
};
console.error(
  `fixture on ${(on / 1000).toFixed(2)} s vs off ${(off / 1000).toFixed(2)} s (median of ${runs}): overhead ${overheadPct.toFixed(1)}% (goal ≤ 5%), ${shiftyCalls} network calls (goal 0)`,
);
console.log(JSON.stringify(summary));
process.exit(summary.ok ? 0 : 1);
