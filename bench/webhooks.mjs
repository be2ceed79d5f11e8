// bench:webhooks — N signed GitHub push events through ingest → WEBHOOKS queue → consumer → signed
// outbound delivery to a receiver served by this script on 127.0.0.1, which fails 10 % of first
// attempts (HTTP 500) so those deliveries go through the retry path. Retry waits are shortened with
// WEBHOOKS_BACKOFF_SCALE=0 (immediate retries); everything else is the production code path.
//
// Proves: every event processed exactly once (one applied marker, one change record, one successful
// processing attempt each), every delivery received and verified by an independent Standard Webhooks
// verifier, none delivered successfully twice. Ends with one JSON line.
//
// Usage: npm run bench:webhooks [-- --count 10000 --concurrency 32 --fail-rate 0.1 --timeout 900]
import { createHash, createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import { quantile } from "../shared/stats.ts";
import { freePort, signUpTenant, startLocalShifty } from "./lib/local-shifty.mjs";
import { snapshotOfHead } from "./pipeline/snapshot.mjs";

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i].startsWith("--")) args[process.argv[i].slice(2)] = process.argv[i + 1];
}
const COUNT = Number(args.count ?? 10_000);
const CONCURRENCY = Number(args.concurrency ?? 32);
const FAIL_RATE = Number(args["fail-rate"] ?? 0.1);
const TIMEOUT_S = Number(args.timeout ?? 900);
const SECRET = "bench github secret 0123456789";

const log = (msg) => process.stderr.write(`[bench:webhooks] ${msg}\n`);

/** The tenant's receiver: verifies every signature itself and fails FAIL_RATE of first attempts. */
function startReceiver(endpointSecret) {
  const key = () => Buffer.from(endpointSecret.current.replace(/^whsec_/, ""), "base64");
  const seen = new Map(); // webhook-id → attempts
  const succeeded = new Map(); // webhook-id → 2xx answers
  let badSignatures = 0;
  let injectedFailures = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const id = req.headers["webhook-id"];
      const ts = req.headers["webhook-timestamp"];
      const expected = `v1,${createHmac("sha256", key()).update(`${id}.${ts}.${body}`).digest("base64")}`;
      const valid = String(req.headers["webhook-signature"] ?? "")
        .split(" ")
        .includes(expected);
      if (!valid) {
        badSignatures++;
        res.writeHead(401).end("bad signature");
        return;
      }
      const attempts = (seen.get(id) ?? 0) + 1;
      seen.set(id, attempts);
      // Deterministic 10 %: the first attempt of ids whose hash lands in the bottom FAIL_RATE.
      const bucket = createHash("sha256").update(id).digest().readUInt32BE(0) / 2 ** 32;
      if (attempts === 1 && bucket < FAIL_RATE) {
        injectedFailures++;
        res.writeHead(500).end("injected failure");
        return;
      }
      succeeded.set(id, (succeeded.get(id) ?? 0) + 1);
      res.writeHead(200).end("ok");
    });
  });
  return {
    server,
    stats: () => ({ seen, succeeded, badSignatures, injectedFailures }),
  };
}

async function main() {
  const dropSnapshot = snapshotOfHead("shifty-webhooks-src-");
  log(`starting local Shifty (wrangler dev on a snapshot of HEAD, fresh state, WEBHOOKS_BACKOFF_SCALE=0)…`);
  const local = await startLocalShifty({
    vars: { WEBHOOKS_BACKOFF_SCALE: "0" },
    quiet: !("verbose" in args),
  });
  const endpointSecret = { current: "" };
  const receiver = startReceiver(endpointSecret);
  const receiverPort = await freePort();
  await new Promise((r) => receiver.server.listen(receiverPort, "127.0.0.1", r));
  try {
    const tenant = await signUpTenant(local.url, { plan: "enterprise", local });
    const auth = { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" };
    const source = await (
      await fetch(`${local.url}/v1/webhook-sources`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ provider: "github", name: "bench", secret: SECRET, environment: "prod" }),
      })
    ).json();
    const endpoint = await (
      await fetch(`${local.url}/v1/webhook-endpoints`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ url: `http://127.0.0.1:${receiverPort}/hooks`, eventTypes: ["github.push"] }),
      })
    ).json();
    if (!source.id || !endpoint.id) throw new Error(`setup failed: ${JSON.stringify({ source, endpoint })}`);
    endpointSecret.current = endpoint.secret;

    // Ingest: COUNT signed pushes with bounded concurrency over keep-alive.
    const target = new URL(`${local.url}${source.url}`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const latencies = [];
    const statusCounts = {};
    let next = 0;
    const post = (i) =>
      new Promise((resolve) => {
        const sha = createHash("sha1").update(`bench-${i}-${randomUUID()}`).digest("hex");
        const body = JSON.stringify({
          ref: "refs/heads/main",
          commits: [
            {
              id: sha,
              message: `bench commit ${i}`,
              timestamp: new Date().toISOString(),
              author: { username: "bench" },
            },
          ],
          repository: { full_name: "bench/repo" },
        });
        const headers = {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-github-event": "push",
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        };
        const started = process.hrtime.bigint();
        const req = http.request(
          { host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers, agent },
          (res) => {
            res.resume();
            res.on("end", () => {
              latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
              statusCounts[res.statusCode] = (statusCounts[res.statusCode] ?? 0) + 1;
              resolve();
            });
          },
        );
        req.on("error", () => {
          statusCounts.error = (statusCounts.error ?? 0) + 1;
          resolve();
        });
        req.end(body);
      });
    log(`ingesting ${COUNT} events with concurrency ${CONCURRENCY}…`);
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < COUNT) await post(next++);
      }),
    );
    const ingestSeconds = (Date.now() - t0) / 1000;
    agent.destroy();
    log(
      `ingested in ${ingestSeconds.toFixed(1)} s (${JSON.stringify(statusCounts)}); waiting for deliveries…`,
    );

    // Drain: wait until every event has been delivered once, or the timeout.
    const deadline = t0 + TIMEOUT_S * 1000;
    let lastLog = 0;
    let lastProgress = { at: Date.now(), delivered: 0 };
    while (Date.now() < deadline) {
      const { succeeded } = receiver.stats();
      if (succeeded.size >= COUNT) break;
      if (succeeded.size > lastProgress.delivered)
        lastProgress = { at: Date.now(), delivered: succeeded.size };
      // No delivery for 2 minutes: stop waiting and report what is stuck.
      if (Date.now() - lastProgress.at > 120_000) break;
      if (Date.now() - lastLog > 10_000) {
        log(`  delivered ${succeeded.size}/${COUNT} after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        lastLog = Date.now();
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const endToEndSeconds = (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 2000)); // let late duplicates (if any) show up

    const q = (sql) => {
      const out = local.d1(sql);
      return JSON.parse(out.slice(out.indexOf("[")))[0].results;
    };
    const org = tenant.orgId;
    const one = (sql) => Object.values(q(sql)[0])[0];
    const events = one(`SELECT COUNT(*) FROM webhook_events WHERE org_id = '${org}'`);
    const byStatus = Object.fromEntries(
      q(`SELECT status, COUNT(*) AS n FROM webhook_events WHERE org_id = '${org}' GROUP BY status`).map(
        (r) => [r.status, r.n],
      ),
    );
    const applied = one(`SELECT COUNT(*) FROM webhook_event_applications WHERE org_id = '${org}'`);
    const appliedTwice = one(
      `SELECT COUNT(*) FROM (SELECT event_id FROM webhook_attempts WHERE org_id = '${org}' AND kind = 'process' AND outcome = 'succeeded' GROUP BY event_id HAVING COUNT(*) > 1)`,
    );
    const changeRecords = one(`SELECT COUNT(*) FROM change_records WHERE org_id = '${org}'`);
    const deliveries = Object.fromEntries(
      q(`SELECT status, COUNT(*) AS n FROM webhook_deliveries WHERE org_id = '${org}' GROUP BY status`).map(
        (r) => [r.status, r.n],
      ),
    );
    const deliveryAttempts = Object.fromEntries(
      q(
        `SELECT outcome, COUNT(*) AS n FROM webhook_attempts WHERE org_id = '${org}' AND kind = 'deliver' GROUP BY outcome`,
      ).map((r) => [r.outcome, r.n]),
    );

    const { seen, succeeded, badSignatures, injectedFailures } = receiver.stats();
    const accepted = statusCounts[202] ?? 0;
    const deliveredTwice = [...succeeded.values()].filter((n) => n > 1).length;
    const summary = {
      bench: "webhooks",
      events: COUNT,
      accepted,
      ingestEventsPerSecond: Number((accepted / ingestSeconds).toFixed(1)),
      endToEndEventsPerSecond: Number((succeeded.size / endToEndSeconds).toFixed(1)),
      ingestP50Ms: Number((quantile(latencies, 0.5) ?? 0).toFixed(2)),
      ingestP99Ms: Number((quantile(latencies, 0.99) ?? 0).toFixed(2)),
      ingestSeconds: Number(ingestSeconds.toFixed(1)),
      endToEndSeconds: Number(endToEndSeconds.toFixed(1)),
      injectedFailures,
      retriedDeliveries: [...seen.values()].filter((n) => n > 1).length,
      stored: events,
      eventStatus: byStatus,
      applied,
      changeRecords,
      deliveries,
      deliveryAttempts,
      badSignatures,
      lost: COUNT - succeeded.size,
      processedTwice: appliedTwice + Math.max(0, changeRecords - COUNT),
      deliveredTwice,
      backoffScale: 0,
    };
    const ok =
      summary.lost === 0 &&
      summary.processedTwice === 0 &&
      applied === COUNT &&
      changeRecords === COUNT &&
      badSignatures === 0;
    process.stdout.write(`${JSON.stringify({ ...summary, ok })}\n`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    receiver.server.close();
    await local.stop();
    dropSnapshot();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
