import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Registry } from "../../shared/metrics/prometheus.ts";
import { loadConfig } from "../../workers/env.ts";
import worker from "../../workers/index.ts";

const TOKEN = "metrics-token-for-tests-0123456789abcdef";
const withToken = { ...env, METRICS_TOKEN: TOKEN };

async function call(path: string, headers: Record<string, string> = {}, e: typeof env = withToken) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://shifty.test${path}`, { headers }), e, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

type Sample = { name: string; labels: Record<string, string>; value: number };

/**
 * A strict reader of the Prometheus text format 0.0.4, written here from the format's grammar (not
 * shared with the exporter): every line is a HELP, a TYPE or a sample; a family's TYPE precedes its
 * samples; label values are quoted with \\, \" and \n escapes; values are floats or ±Inf/NaN.
 */
function parsePrometheus(text: string) {
  expect(text.endsWith("\n")).toBe(true);
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const name = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  const sampleLine = new RegExp(`^(${name})(\\{(.*)\\})? (\\S+)$`);
  for (const line of text.slice(0, -1).split("\n")) {
    const meta = new RegExp(`^# (HELP|TYPE) (${name}) (.*)$`).exec(line);
    if (meta) {
      if (meta[1] === "TYPE") {
        expect(["counter", "gauge", "histogram", "summary", "untyped"]).toContain(meta[3]);
        expect(types.has(meta[2]!), `one TYPE for ${meta[2]}`).toBe(false);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const m = sampleLine.exec(line);
    expect(m, `a sample line: ${line}`).not.toBeNull();
    const labels: Record<string, string> = {};
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
    const body = m![3] ?? "";
    let at = 0;
    while (at < body.length) {
      labelRe.lastIndex = at;
      const l = labelRe.exec(body);
      expect(l, `labels of ${line}`).not.toBeNull();
      labels[l![1]!] = l![2]!.replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c));
      at = labelRe.lastIndex;
    }
    const raw = m![4]!;
    const value = raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw);
    expect(raw === "NaN" || !Number.isNaN(value), `value of ${line}`).toBe(true);
    const family = m![1]!.replace(/_(bucket|sum|count)$/, "");
    expect(types.has(m![1]!) || types.get(family) === "histogram", `TYPE before ${line}`).toBe(true);
    samples.push({ name: m![1]!, labels, value });
  }
  return { types, samples };
}

describe("/metrics", () => {
  it("serves Prometheus text with request counts, latency histograms and platform figures", async () => {
    await call("/healthz");
    await call("/healthz");
    await call("/v1/projects"); // 401, counted under its template
    const res = await call("/metrics", { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types, samples } = parsePrometheus(await res.text());
    expect(types.get("shifty_http_requests_total")).toBe("counter");
    expect(types.get("shifty_http_request_duration_seconds")).toBe("histogram");
    expect(types.get("shifty_queue_backlog")).toBe("gauge");
    const healthz = samples.find(
      (s) =>
        s.name === "shifty_http_requests_total" && s.labels.route === "/healthz" && s.labels.status === "200",
    );
    expect(healthz?.value).toBeGreaterThanOrEqual(2);
    // Buckets are cumulative and end in +Inf = _count.
    const buckets = samples.filter(
      (s) => s.name === "shifty_http_request_duration_seconds_bucket" && s.labels.route === "/healthz",
    );
    const values = buckets.map((b) => b.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(buckets.at(-1)?.labels.le).toBe("+Inf");
    const count = samples.find(
      (s) => s.name === "shifty_http_request_duration_seconds_count" && s.labels.route === "/healthz",
    );
    expect(count?.value).toBe(buckets.at(-1)?.value);
    expect(samples.filter((s) => s.name === "shifty_queue_backlog").map((s) => s.labels.kind)).toEqual([
      "events",
      "deliveries",
    ]);
  });

  it("refuses a missing or wrong token, and answers 503 when no token is configured", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: TOKEN }] as Record<
      string,
      string
    >[]) {
      const res = await call("/metrics", headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
    expect((await call("/metrics", { authorization: `Bearer ${TOKEN}` }, env)).status).toBe(503);
  });

  it("refuses a weak METRICS_TOKEN at start-up", () => {
    expect(() => loadConfig({ ...env, METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });

  it("counts a label set once whatever its order, and puts each observation in the right buckets", () => {
    const r = new Registry();
    r.inc("t_total", "t", { a: "1", b: "2" });
    r.inc("t_total", "t", { b: "2", a: "1" });
    for (const v of [0.05, 0.1, 0.7, 3]) r.observe("t_seconds", "t", [0.1, 0.5, 1], { a: "1" }, v);
    const { samples } = parsePrometheus(r.render());
    expect(samples.filter((s) => s.name === "t_total").map((s) => s.value)).toEqual([2]);
    const buckets = samples.filter((s) => s.name === "t_seconds_bucket");
    expect(buckets.map((b) => [b.labels.le, b.value])).toEqual([
      ["0.1", 2],
      ["0.5", 2],
      ["1", 3],
      ["+Inf", 4],
    ]);
    expect(samples.find((s) => s.name === "t_seconds_sum")?.value).toBeCloseTo(3.85);
  });
});
