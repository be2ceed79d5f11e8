// npm run bench:gateway — (a) a bare route vs (b) an authenticated, rate-limited route that reads D1,
// on one local runtime (wrangler dev). Rounds alternate a/b; medians are reported with the ratio b/a.

import { median } from "../shared/stats.ts";
import { load } from "./lib/load.mjs";
import { signUpTenant, startLocalShifty } from "./lib/local-shifty.mjs";
import { groupCpuSeconds } from "./lib/process-cpu.mjs";

const rounds = Number(process.env.ROUNDS ?? 3);
const durationMs = Number(process.env.DURATION_MS ?? 6000);
const concurrency = Number(process.env.CONCURRENCY ?? 32);

const local = await startLocalShifty();
try {
  const tenant = await signUpTenant(local.url, { plan: "enterprise", local });
  const bare = { url: `${local.url}/healthz` };
  const authed = {
    url: `${local.url}/v1/projects?limit=10`,
    headers: { authorization: `Bearer ${tenant.apiKey}` },
  };
  // Warm up both paths (isolate start, KV key cache, DO instance).
  await load({ ...bare, concurrency: 4, durationMs: 1500 });
  await load({ ...authed, concurrency: 4, durationMs: 1500 });
  const a = [];
  const b = [];
  // Each round also measures the CPU the runtime (wrangler + workerd) spent per request.
  const measured = async (target) => {
    const before = groupCpuSeconds(local.pgid);
    const run = await load({ ...target, concurrency, durationMs });
    return { ...run, cpuMs: ((groupCpuSeconds(local.pgid) - before) * 1000) / Math.max(1, run.requests) };
  };
  for (let i = 0; i < rounds; i++) {
    a.push(await measured(bare));
    b.push(await measured(authed));
  }
  const summarise = (runs) => ({
    rps: Math.round(median(runs.map((r) => r.rps))),
    p50Ms: +median(runs.map((r) => r.p50)).toFixed(2),
    p99Ms: +median(runs.map((r) => r.p99)).toFixed(2),
    cpuMsPerRequest: +median(runs.map((r) => r.cpuMs)).toFixed(3),
    requests: runs.reduce((s, r) => s + r.requests, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
  });
  const result = {
    bench: "gateway",
    runtime: "wrangler dev (workerd, local)",
    concurrency,
    rounds,
    durationMs,
    bare: summarise(a),
    authRateLimitedD1: summarise(b),
  };
  result.ratio = +(result.authRateLimitedD1.rps / result.bare.rps).toFixed(3);
  // The same comparison by CPU per request (bare / authenticated): steadier when the machine is busy.
  result.cpuRatio = +(result.bare.cpuMsPerRequest / result.authRateLimitedD1.cpuMsPerRequest).toFixed(3);
  console.log(
    `bare route            ${result.bare.rps} req/s  p50 ${result.bare.p50Ms} ms  p99 ${result.bare.p99Ms} ms  (errors ${result.bare.errors})`,
  );
  console.log(
    `auth + rate limit + D1 ${result.authRateLimitedD1.rps} req/s  p50 ${result.authRateLimitedD1.p50Ms} ms  p99 ${result.authRateLimitedD1.p99Ms} ms  (errors ${result.authRateLimitedD1.errors})`,
  );
  console.log(`ratio b/a = ${result.ratio} (goal ≥ 0.8)`);
  console.log(
    `CPU per request: bare ${result.bare.cpuMsPerRequest} ms, authenticated ${result.authRateLimitedD1.cpuMsPerRequest} ms (ratio ${result.cpuRatio})`,
  );
  console.log(JSON.stringify(result));
} finally {
  await local.stop();
}
