// A small closed-loop HTTP load generator (keep-alive, fixed concurrency, fixed duration).
import http from "node:http";
import { quantile } from "../../shared/stats.ts";

export async function load({
  url,
  headers = {},
  method = "GET",
  body,
  concurrency = 32,
  durationMs = 8000,
  expectStatus = 200,
}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const latencies = [];
  let errors = 0;
  const end = Date.now() + durationMs;
  const one = () =>
    new Promise((resolve) => {
      const started = process.hrtime.bigint();
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method,
          headers,
          agent,
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== expectStatus) errors++;
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        resolve();
      });
      if (body) req.write(body);
      req.end();
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) await one();
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: quantile(latencies, 0.5) ?? 0,
    p99: quantile(latencies, 0.99) ?? 0,
  };
}
