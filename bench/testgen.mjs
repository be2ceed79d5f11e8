// `npm run bench:testgen`: generation quality on the demo apps in bench/testgen/apps/<app>/ (index.html
// + mutants.json, read by testgen/mutants.mjs). Per app: generate a suite (explore in Chromium, plan in-process with the same planner
// the API runs, verify), type-check it, run it on the unmodified app (pass) and REPEATS times (flakiness),
// against every behaviour mutant (killed = some test fails) and every benign change (survives = all pass).
// One JSON line per app on stdout.
//
// Env: BENCH_APPS=list,shop (default: every app) · BENCH_VERIFY (3) · BENCH_REPEATS (20) · BENCH_OUT
//      BENCH_MAX_TESTS (40) · CHROMIUM_PATH (default /usr/bin/chromium)
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "../sdk/cli/src/generate.ts";
import { runSuite } from "../sdk/cli/src/verify.ts";
import { generateSuite } from "../shared/generation/index.ts";
import { applyMutant, loadMutants } from "./testgen/mutants.mjs";
import { serveFiles } from "./testgen/serve.mjs";
import { benign } from "./testgen/transforms.mjs";

const root = process.cwd();
const appsDir = join(root, "bench", "testgen", "apps");
const browser = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const verify = Number(process.env.BENCH_VERIFY ?? 3);
const repeats = Number(process.env.BENCH_REPEATS ?? 20);
const maxTests = Number(process.env.BENCH_MAX_TESTS ?? 40);
const apps = process.env.BENCH_APPS?.split(",") ?? readdirSync(appsDir).sort();
const log = (line) => process.stderr.write(`[bench:testgen] ${line}\n`);
const env = { ...process.env, CHROMIUM_PATH: browser, PLAYWRIGHT_JSON_OUTPUT_NAME: "" };

/**
 * Runs the generated suite against `html`; resolves to the failed-run count and total. `firstFailure`
 * stops at the first failing test: enough to call a mutant killed or a benign change broken, and it
 * spares waiting out every other failing test's timeouts.
 */
async function runAgainst(dir, html, times = 1, { firstFailure = false } = {}) {
  const server = await serveFiles({ "index.html": html });
  try {
    const extra = firstFailure ? ["--max-failures", "1"] : [];
    return await runSuite(dir, times, { ...env, BASE_URL: server.url }, root, extra);
  } finally {
    await server.close();
  }
}

function typeCheck(dir) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f));
  try {
    execFileSync(
      join(root, "node_modules", ".bin", "tsc"),
      [
        "--noEmit",
        "--strict",
        "--target",
        "es2022",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--skipLibCheck",
        "--types",
        "node",
        ...files,
      ],
      { stdio: "pipe" },
    );
    return { files: files.length, ok: files.length };
  } catch (error) {
    const bad = new Set(String(error.stdout).match(/^[^(\s]+\.ts(?=\()/gm) ?? []);
    return { files: files.length, ok: files.length - bad.size };
  }
}

async function benchApp(app) {
  const source = readFileSync(join(appsDir, app, "index.html"), "utf8");
  const mutants = loadMutants(join(appsDir, app));
  const out = join(root, ".bench", process.env.BENCH_OUT ?? "testgen", app);
  const server = await serveFiles({ "index.html": source });
  const started = Date.now();
  const summary = await generate({
    appUrl: server.url,
    out,
    maxPages: 10,
    maxTests,
    verify,
    browserPath: browser,
    env,
    cwd: root,
    log: (l) => log(`${app}: ${l}`),
    plan: async (exploration, max) => generateSuite(exploration, max).files,
  });
  const generateMs = Date.now() - started;
  await server.close();
  const tests = summary.verify?.kept ?? summary.planned;
  const compile = typeCheck(out);
  log(
    `${app}: ${tests} tests in ${(generateMs / 1000).toFixed(0)} s; compile ${compile.ok}/${compile.files}`,
  );
  const pass = await runAgainst(out, source);
  const flaky = await runAgainst(out, source, repeats);
  log(
    `${app}: pass ${pass.runs - pass.failedRuns}/${pass.runs}, flaky runs ${flaky.failedRuns}/${flaky.runs}`,
  );
  const survivors = [];
  let killed = 0;
  for (const mutant of mutants) {
    const result = await runAgainst(out, applyMutant(source, mutant, app), 1, { firstFailure: true });
    if (result.failedRuns > 0) killed++;
    else survivors.push(mutant.name);
    log(`${app}: mutant ${mutant.name} ${result.failedRuns > 0 ? "killed" : "SURVIVED"}`);
  }
  const broken = [];
  for (const [name, transform] of benign) {
    const changed = transform(source);
    if (changed === source) throw new Error(`${app}: benign change "${name}" changed nothing`);
    const result = await runAgainst(out, changed, 1, { firstFailure: true });
    if (result.failedRuns > 0) broken.push(name);
  }
  return {
    app,
    tests,
    generateSeconds: Math.round(generateMs / 1000),
    compile: compile.ok / compile.files,
    pass: pass.runs ? (pass.runs - pass.failedRuns) / pass.runs : 0,
    flakiness: flaky.runs ? flaky.failedRuns / flaky.runs : 0,
    repeats,
    mutants: mutants.length,
    mutationScore: killed / mutants.length,
    survivingMutants: survivors,
    benignChanges: benign.length,
    benignSurvival: (benign.length - broken.length) / benign.length,
    benignBroken: broken,
  };
}

for (const app of apps) console.log(JSON.stringify(await benchApp(app)));
