// bench:pipeline — (a) ingest: N leads in batched POST /v1/leads calls of 500 against a local Shifty
// (wrangler dev, fresh state), then wait until every lead has left `raw` (leads-raw → leads-scored →
// contacted through the real queues). Reports leads/s, errors, lost leads and raw → scored latency.
// (b) bandit: in-process Thompson sampling vs a uniform split (bench/pipeline/simulate.ts).
// Ends with one JSON line. See docs/pipeline.md.
//
// Usage: npm run bench:pipeline [-- --leads 10000 --concurrency 4 --timeout 300 --skip-ingest]
import { randomUUID } from "node:crypto";
import { quantile } from "../shared/stats.ts";
import { startLocalShifty } from "./lib/local-shifty.mjs";
import { simulate } from "./pipeline/simulate.ts";
import { snapshotOfHead } from "./pipeline/snapshot.mjs";
import { enterpriseTenant } from "./pipeline/tenant.mjs";

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i].startsWith("--")) args[process.argv[i].slice(2)] = process.argv[i + 1] ?? "true";
}
const LEADS = Number(args.leads ?? 10_000);
const BATCH = 500;
const CONCURRENCY = Number(args.concurrency ?? 4);
const TIMEOUT_S = Number(args.timeout ?? 300);
const TITLES = [
  "Head of QA",
  "Senior Developer",
  "Engineering Manager",
  "CTO",
  "Product Owner",
  "Designer",
  "Student",
];

const log = (msg) => process.stderr.write(`[bench:pipeline] ${msg}\n`);

function leadBatch(start, run) {
  return Array.from({ length: Math.min(BATCH, LEADS - start) }, (_, j) => {
    const i = start + j;
    return {
      externalId: `${run}-${i}`,
      email: `lead${i}@example${i % 50}.com`,
      name: `Lead ${i}`,
      company: `Company ${i % 97}`,
      title: TITLES[i % TITLES.length],
      source: "bench",
      attributes: { employees: (i * 37) % 3000, pageViews: i % 12, demoRequested: i % 5 === 0 },
    };
  });
}

async function ingest(url, auth) {
  const run = randomUUID().slice(0, 8);
  const starts = [];
  for (let s = 0; s < LEADS; s += BATCH) starts.push(s);
  let next = 0;
  let errors = 0;
  let accepted = 0;
  const latencies = [];
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < starts.length) {
        const leads = leadBatch(starts[next++], run);
        const began = Date.now();
        const res = await fetch(`${url}/v1/leads`, {
          method: "POST",
          headers: auth,
          body: JSON.stringify({ leads }),
        }).catch(() => null);
        latencies.push(Date.now() - began);
        if (res?.status !== 202) {
          errors++;
          log(`POST failed: ${res?.status} ${res ? (await res.text()).slice(0, 200) : "network"}`);
          continue;
        }
        // Read before adding: `accepted += await …` would add to the value read before the await.
        const { accepted: n } = await res.json();
        accepted += n;
      }
    }),
  );
  const seconds = (Date.now() - t0) / 1000;
  return {
    seconds,
    errors,
    accepted,
    leadsPerSecond: Math.round(LEADS / seconds),
    postP99Ms: quantile(latencies, 0.99),
  };
}

async function drain(url, auth) {
  const deadline = Date.now() + TIMEOUT_S * 1000;
  const t0 = Date.now();
  for (;;) {
    const { counts } = await (await fetch(`${url}/v1/pipeline/board`, { headers: auth })).json();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if ((total >= LEADS && counts.raw === 0) || Date.now() > deadline)
      return { counts, total, drainSeconds: (Date.now() - t0) / 1000 };
    await new Promise((r) => setTimeout(r, 500));
  }
}

function latency(local, orgId) {
  const q = (sql) => {
    const out = local.d1(sql);
    return JSON.parse(out.slice(out.indexOf("[")))[0].results;
  };
  const where = `org_id = '${orgId}' AND scored_at IS NOT NULL`;
  const n = Object.values(q(`SELECT count(*) AS n FROM leads WHERE ${where}`)[0])[0];
  const at = (p) =>
    n === 0
      ? null
      : q(
          `SELECT scored_at - created_at AS d FROM leads WHERE ${where} ORDER BY d LIMIT 1 OFFSET ${Math.max(0, Math.ceil(n * p) - 1)}`,
        )[0].d;
  return { scored: n, rawToScoredP50Ms: at(0.5), rawToScoredP99Ms: at(0.99), rawToScoredMaxMs: at(1) };
}

async function main() {
  const result = { leads: LEADS, batch: BATCH, concurrency: CONCURRENCY };
  if (!("skip-ingest" in args)) {
    const dropSnapshot = snapshotOfHead();
    log("starting local Shifty (wrangler dev on a snapshot of HEAD, fresh state)…");
    const local = await startLocalShifty({ quiet: !("verbose" in args) });
    try {
      const tenant = await enterpriseTenant(local);
      const auth = { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" };
      await fetch(`${local.url}/v1/experiments`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({
          name: "bench",
          variants: ["a", "b", "c"].map((key) => ({ key, subject: `Subject ${key}`, body: `Body ${key}` })),
        }),
      });
      log(`ingesting ${LEADS} leads in POSTs of ${BATCH}, concurrency ${CONCURRENCY}…`);
      const ingested = await ingest(local.url, auth);
      log(`ingested in ${ingested.seconds}s (${ingested.leadsPerSecond} leads/s); waiting for the stages…`);
      const drained = await drain(local.url, auth);
      const lost = LEADS - drained.total + (drained.counts.raw ?? 0);
      // Leads per second from the first POST until none is raw any more (stored, scored, forwarded).
      const endToEnd = Math.round(LEADS / (ingested.seconds + drained.drainSeconds));
      Object.assign(result, {
        ingest: {
          ...ingested,
          ...drained,
          lost,
          endToEndLeadsPerSecond: endToEnd,
          ...latency(local, tenant.orgId),
        },
      });
    } finally {
      await local.stop();
      dropSnapshot();
    }
  }
  log("bandit simulation: 3 variants (3 %, 5 %, 8 %), 5,000 leads…");
  result.bandit = simulate({ leads: 5000, rates: { a: 0.03, b: 0.05, c: 0.08 }, lastWindow: 1000, seed: 42 });
  const ing = result.ingest;
  result.ok =
    (!ing || (ing.errors === 0 && ing.lost === 0 && ing.leadsPerSecond >= 1000)) &&
    result.bandit.bestShareLastWindow >= 0.8 &&
    result.bandit.thompsonConversions > result.bandit.uniformConversions;
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.ok ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
