// `npm run demo:pipeline`: replays a scripted lead-pipeline scenario against a running Shifty so the
// dashboard's Pipeline board fills end to end in well under a minute: an experiment, 60 leads in
// three waves, opens, replies and conversions for contacted leads, a snooze, a forced send and an
// unsubscribe. Target: SHIFTY_URL + SHIFTY_API_KEY, or the local `npm start` instance
// (http://127.0.0.1:8787) with a key from `npm run seed -- --json`. See docs/pipeline.md.
import { execFileSync } from "node:child_process";

const url = (process.env.SHIFTY_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");
let apiKey = process.env.SHIFTY_API_KEY;
if (!apiKey) {
  const out = execFileSync("npm", ["run", "-s", "seed", "--", "--json"], { encoding: "utf8" });
  apiKey = JSON.parse(out.trim().split("\n").at(-1)).apiKey;
}
const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => console.log(`[demo:pipeline] ${msg}`);

async function call(method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

const TITLES = [
  "Head of QA",
  "Senior Developer",
  "Engineering Manager",
  "CTO",
  "Product Owner",
  "UX Designer",
  "Intern",
];
const run = Date.now().toString(36);
const lead = (i) => ({
  externalId: `demo-${run}-${i}`,
  email: `person${i}@${i % 4 === 0 ? "gmail.com" : `company${i % 9}.com`}`,
  name: `Person ${i}`,
  company: `Company ${i % 9}`,
  title: TITLES[i % TITLES.length],
  source: "demo",
  attributes: {
    employees: (i * 131) % 2500,
    pageViews: i % 9,
    demoRequested: i % 3 === 0,
    trialSignup: i % 4 === 1,
  },
});

async function leadsWith(status) {
  return (await call("GET", `/v1/leads?status=${status}&limit=100`)).items.filter((l) =>
    l.externalId.startsWith(`demo-${run}`),
  );
}

async function main() {
  const started = Date.now();
  const { id: experimentId } = await call("POST", "/v1/experiments", {
    name: `Demo outreach ${run}`,
    variants: [
      { key: "short", subject: "Fewer flaky tests", body: "Two lines on self-healing selectors." },
      { key: "story", subject: "How Acme cut CI time", body: "A customer story." },
      { key: "roi", subject: "Your test ROI in numbers", body: "A calculator link." },
    ],
  });
  log(`experiment ${experimentId}; open the dashboard's Pipeline screen to watch`);
  let n = 0;
  for (const wave of [20, 20, 20]) {
    const result = await call("POST", "/v1/leads", { leads: Array.from({ length: wave }, () => lead(n++)) });
    log(`wave of ${wave}: ${JSON.stringify(result)}`);
    await sleep(3000);
  }
  const contacted = await leadsWith("contacted");
  log(`${contacted.length} contacted; replaying engagement…`);
  const events = [];
  contacted.forEach((l, i) => {
    if (i % 2 === 0)
      events.push({ id: `${l.externalId}-open`, leadExternalId: l.externalId, type: "opened" });
    if (i % 4 === 0)
      events.push({ id: `${l.externalId}-reply`, leadExternalId: l.externalId, type: "replied" });
    // The "roi" variant converts best in this script, so its posterior pulls ahead on the chart.
    if (i % 5 === 0 || l.variantKey === "roi")
      events.push({ id: `${l.externalId}-won`, leadExternalId: l.externalId, type: "converted" });
    if (i === 1)
      events.push({ id: `${l.externalId}-unsub`, leadExternalId: l.externalId, type: "unsubscribed" });
  });
  if (events.length > 0) await call("POST", "/v1/outreach/events", { events });
  log(`${events.length} engagement events sent`);
  await sleep(2000);
  const scored = await leadsWith("scored");
  if (scored[0]) {
    await call("POST", `/v1/leads/${scored[0].id}/snooze`, { until: Date.now() + 86_400_000 });
    log(`snoozed ${scored[0].externalId}`);
  }
  if (scored[1]) {
    const forced = await call("POST", `/v1/leads/${scored[1].id}/outreach`, {});
    log(`forced outreach to ${scored[1].externalId} with variant ${forced.variantKey}`);
  }
  await sleep(2000);
  const board = await call("GET", "/v1/pipeline/board");
  const experiment = await call("GET", `/v1/experiments/${experimentId}`);
  log(`board: ${JSON.stringify(board.counts)}`);
  for (const v of experiment.variants) {
    log(`variant ${v.key}: ${v.conversions}/${v.sends} converted, P(best) ${v.probabilityBest}`);
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
