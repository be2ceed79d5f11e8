import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { timingSafeEqual } from "../../shared/crypto/hash.ts";
import { ApiError } from "../../shared/errors.ts";
import { addPlatformMetrics } from "../../shared/metrics/platform.ts";
import { Registry } from "../../shared/metrics/prometheus.ts";
import type { HonoEnv } from "../hono-env.ts";
import { renderRequestMetrics } from "../metrics.ts";
import type { Router } from "../openapi.ts";
import { defineRoute } from "../route.ts";

/**
 * `GET /metrics` for operators (docs/operations-metrics.md): Prometheus text, behind METRICS_TOKEN.
 * Not an organisation's credential: the figures span every tenant.
 */

const metricsRoute = defineRoute({
  method: "get",
  path: "/metrics",
  access: "public",
  tags: ["Health"],
  summary: "Prometheus metrics (operators; `Authorization: Bearer <METRICS_TOKEN>`)",
  errors: [401, 503],
  request: { headers: z.object({ authorization: z.string().max(512).optional() }) },
  responses: {
    200: { description: "Prometheus text format 0.0.4", content: { "text/plain": { schema: z.string() } } },
  },
});

async function metricsHandler(c: Context<HonoEnv>) {
  const { config, db } = c.get("services");
  if (!config.metricsToken) throw new ApiError("not_configured", "METRICS_TOKEN is not set");
  const sent = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
  if (!timingSafeEqual(sent, config.metricsToken)) {
    throw new ApiError("unauthenticated", "Send `Authorization: Bearer <METRICS_TOKEN>`", {
      headers: { "WWW-Authenticate": 'Bearer realm="shifty-metrics"' },
    });
  }
  const platform = new Registry();
  await addPlatformMetrics(db, platform);
  return c.text(renderRequestMetrics() + platform.render(), 200, {
    "content-type": "text/plain; version=0.0.4; charset=utf-8",
    "cache-control": "no-store",
  });
}

export function registerMetricsRoute(app: Router) {
  app.openapi(metricsRoute, metricsHandler);
}
