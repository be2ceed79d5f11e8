// npm run bench:insight — seeds 1,000,000 test results (10,000 runs × 100 tests) and 10,000 production
// deployments with their commits and 500 incidents into a local Shifty (wrangler dev), triggers the */5
// cron once, and reports how long the insight-rollups job took (its job_runs row) and the p50 of the
// DORA and ROI endpoints served from KV. Goals: rollup ≤ 10 s, endpoints p50 ≤ 5 ms.
import { load } from "./lib/load.mjs";
import { fetchRetrying, signUpTenant, startLocalShifty } from "./lib/local-shifty.mjs";

const RUNS = 10_000;
const TESTS = 100;
const DEPLOYS = 10_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const local = await startLocalShifty();
try {
  const t = await signUpTenant(local.url);
  const now = Date.now();
  const base = Math.floor((now - 90 * DAY) / HOUR) * HOUR;
  const step = Math.floor((89 * DAY) / RUNS);
  const org = `'${t.orgId}'`;
  const prj = `'${t.projectId}'`;
  // Timed reads must measure answers, not refusals: the free plan's 120 requests a minute would turn
  // most of a 3 s loop into 429s, so the bench tenant gets the enterprise quotas (before any key use).
  local.d1(`UPDATE organizations SET plan = 'enterprise' WHERE id = ${org}`);
  const n = (count) =>
    `WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < ${count - 1})`;
  const seedStarted = Date.now();
  local.d1(`${n(TESTS)} INSERT INTO ci_tests (id, org_id, project_id, key, suite, name, status, recent,
    last_commit_outcomes, consecutive_passes, consecutive_failures, sample_size, failures, failure_rate,
    wilson_low, wilson_high, first_seen_at, last_seen_at, stats_at)
    SELECT 'tst_b' || k, ${org}, ${prj}, 'k' || k, 's', 't' || k, 'healthy', '', 0, 0, 0, 0, 0, 0, 0, 0,
      ${base}, ${base}, ${now} FROM n`);
  // In run i, test j fails when (i + j) % 50 = 0; tests 0 and 50 are quarantined, so every 50th run
  // fails only on quarantined tests (a run quarantine saved).
  local.d1(`${n(RUNS)} INSERT INTO ci_runs (id, org_id, project_id, status, format, total, passed, failed,
    skipped, flaky, healed, duration_ms, report_hash, new_failures, gate_status, gate_reasons,
    gate_evaluated_at, created_at)
    SELECT 'run_b' || k, ${org}, ${prj}, 'failed', 'junit', ${TESTS}, ${TESTS - 2}, 2, 0, 0, 0, 60000,
      'h' || k, 0, 'pass', '[]', ${base} + k * ${step}, ${base} + k * ${step} FROM n`);
  local.d1(`${n(RUNS * TESTS)} INSERT INTO ci_results (id, org_id, project_id, run_id, test_id, status,
    duration_ms, retries, healed, quarantined, created_at)
    SELECT 'res_b' || k, ${org}, ${prj}, 'run_b' || (k / ${TESTS}), 'tst_b' || (k % ${TESTS}),
      CASE WHEN ((k / ${TESTS}) + (k % ${TESTS})) % 50 = 0 THEN 'failed' ELSE 'passed' END, 100, 0, 0,
      CASE WHEN (k % ${TESTS}) % 50 = 0 THEN 1 ELSE 0 END, ${base} + (k / ${TESTS}) * ${step} FROM n`);
  // Deployment i at base + i·step + 1 h, every 10th failed; its commit authored 2 h before it; an
  // incident 30 min after every 20th, resolved 45 min later.
  local.d1(`${n(DEPLOYS)} INSERT INTO deployment_records (id, org_id, project_id, provider, external_id,
    environment, state, commit_sha, repository, source_updated_at, last_event_id, created_at, updated_at)
    SELECT 'dep_b' || k, ${org}, ${prj}, 'github', 'd' || k, 'production',
      CASE WHEN k % 10 = 0 THEN 'failure' ELSE 'success' END, 'sha' || k, 'bench/app',
      ${base} + k * ${step} + ${HOUR}, 'evt', ${now}, ${now} FROM n`);
  local.d1(`${n(DEPLOYS)} INSERT INTO change_records (id, org_id, project_id, provider, kind, external_id,
    repository, commit_sha, authored_at, source_updated_at, last_event_id, created_at, updated_at)
    SELECT 'chg_b' || k, ${org}, ${prj}, 'github', 'commit', 'sha' || k, 'bench/app', 'sha' || k,
      ${base} + k * ${step} - ${HOUR}, ${base} + k * ${step}, 'evt', ${now}, ${now} FROM n`);
  local.d1(`${n(DEPLOYS / 20)} INSERT INTO incident_records (id, org_id, project_id, provider, external_id,
    title, status, opened_at, resolved_at, source_updated_at, last_event_id, created_at, updated_at)
    SELECT 'inc_b' || k, ${org}, ${prj}, 'datadog', 'i' || k, 'down', 'resolved',
      ${base} + k * 20 * ${step} + ${HOUR} + 1800000, ${base} + k * 20 * ${step} + ${HOUR} + 4500000,
      ${now}, 'evt', ${now}, ${now} FROM n`);
  const seedMs = Date.now() - seedStarted;

  const cronStarted = Date.now();
  const cron = await fetchRetrying(
    `${local.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("*/5 * * * *")}`,
  );
  const cronWallMs = Date.now() - cronStarted;
  const [job] = local.query(
    "SELECT status, counts, finished_at - started_at AS ms FROM job_runs WHERE job = 'insight-rollups'",
  );

  const auth = { authorization: `Bearer ${t.apiKey}` };
  const window = `from=${base}&to=${Math.ceil((now + HOUR) / HOUR) * HOUR}`;
  const doraUrl = `${local.url}/v1/projects/${t.projectId}/insights/dora?${window}`;
  const roiUrl = `${local.url}/v1/projects/${t.projectId}/insights/roi?${window}`;
  const dora = await (await fetchRetrying(doraUrl, { headers: auth })).json();
  const roi = await (await fetchRetrying(roiUrl, { headers: auth })).json();
  // The same loop against /healthz: what one request costs on this machine right now, for context.
  const bareLoad = await load({ url: `${local.url}/healthz`, concurrency: 1, durationMs: 3000 });
  const doraLoad = await load({ url: doraUrl, headers: auth, concurrency: 1, durationMs: 3000 });
  const roiLoad = await load({ url: roiUrl, headers: auth, concurrency: 1, durationMs: 3000 });

  const expected = { deploys: DEPLOYS - DEPLOYS / 10, runs: RUNS, savedRuns: RUNS / 50 };
  const result = {
    bench: "insight",
    seeded: { testResults: RUNS * TESTS, runs: RUNS, deployments: DEPLOYS, seedMs },
    cron: { status: cron.status, wallMs: cronWallMs },
    rollup: job ? { status: job.status, ms: job.ms, counts: JSON.parse(job.counts ?? "{}") } : null,
    bare: { p50Ms: +bareLoad.p50.toFixed(2) },
    dora: { p50Ms: +doraLoad.p50.toFixed(2), p99Ms: +doraLoad.p99.toFixed(2), errors: doraLoad.errors },
    roi: { p50Ms: +roiLoad.p50.toFixed(2), p99Ms: +roiLoad.p99.toFixed(2), errors: roiLoad.errors },
    checks: {
      successfulDeployments: [dora.deploymentFrequency?.sampleSize, expected.deploys],
      changeFailureRate: dora.changeFailureRate?.value,
      runs: [roi.ci?.runs, expected.runs],
      runsNotRerun: [roi.quarantine?.runsNotRerun, expected.savedRuns],
    },
  };
  const ok =
    result.rollup?.status === "succeeded" &&
    result.rollup.ms <= 10_000 &&
    result.dora.p50Ms <= 5 &&
    result.roi.p50Ms <= 5 &&
    Object.values(result.checks).every((c) => !Array.isArray(c) || c[0] === c[1]);
  console.log(
    `rollup of ${RUNS * TESTS} results + ${DEPLOYS} deployments: ${result.rollup?.ms} ms (goal ≤ 10000)`,
  );
  console.log(
    `DORA p50 ${result.dora.p50Ms} ms, ROI p50 ${result.roi.p50Ms} ms (goal ≤ 5); /healthz p50 ${result.bare.p50Ms} ms`,
  );
  console.log(JSON.stringify(result));
  if (!ok) process.exitCode = 1;
} finally {
  await local.stop();
}
