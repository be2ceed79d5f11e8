import { Registry } from "../shared/metrics/prometheus.ts";

/**
 * Request metrics of this isolate (docs/operations-metrics.md): counts and latency histograms per
 * route template. Each isolate counts its own requests since it started; Prometheus sums the scrapes
 * and the Analytics Engine query in the runbook gives fleet-wide percentiles.
 */

const requests = new Registry();
const BOUNDS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function recordRequest(method: string, route: string, status: number, durationMs: number) {
  const labels = { method, route };
  requests.inc("shifty_http_requests_total", "HTTP requests, by route template and status", {
    ...labels,
    status: String(status),
  });
  requests.observe(
    "shifty_http_request_duration_seconds",
    "HTTP request latency, by route template",
    BOUNDS_S,
    labels,
    durationMs / 1000,
  );
}

export function renderRequestMetrics(): string {
  return requests.render();
}
