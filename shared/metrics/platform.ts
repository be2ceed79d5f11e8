import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { Registry } from "./prometheus.ts";

/**
 * Platform-wide figures read from D1 at scrape time (docs/operations-metrics.md): unlike the request
 * metrics, which each isolate counts for itself, these are the same whichever isolate answers.
 */

type Row = { kind: string; status: string; n: number };

export async function addPlatformMetrics(db: Db, registry: Registry) {
  const rows = await db.all<Row>(sql`
    SELECT 'event' AS kind, status, COUNT(*) AS n FROM webhook_events GROUP BY status
    UNION ALL SELECT 'delivery', status, COUNT(*) FROM webhook_deliveries GROUP BY status
    UNION ALL SELECT 'heal', CASE WHEN healed THEN 'healed' ELSE 'not_healed' END, COUNT(*)
      FROM heal_attempts GROUP BY healed
    UNION ALL SELECT 'run', status, COUNT(*) FROM ci_runs GROUP BY status`);
  let eventBacklog = 0;
  let deliveryBacklog = 0;
  for (const r of rows) {
    if (r.kind === "event") {
      registry.inc(
        "shifty_webhook_events_total",
        "Inbound webhook events stored, by status",
        { status: r.status },
        r.n,
      );
      if (r.status === "received") eventBacklog += r.n;
    } else if (r.kind === "delivery") {
      registry.inc(
        "shifty_webhook_deliveries_total",
        "Outbound deliveries, by status",
        { status: r.status },
        r.n,
      );
      if (["pending", "sending", "retrying"].includes(r.status)) deliveryBacklog += r.n;
    } else if (r.kind === "heal") {
      registry.inc("shifty_heal_attempts_total", "Heal attempts, by outcome", { outcome: r.status }, r.n);
    } else {
      registry.inc("shifty_ci_runs_total", "CI runs ingested, by status", { status: r.status }, r.n);
    }
  }
  const backlog = "Work stored but not yet done by the queue consumer";
  registry.set("shifty_queue_backlog", backlog, { queue: "webhooks", kind: "events" }, eventBacklog);
  registry.set("shifty_queue_backlog", backlog, { queue: "webhooks", kind: "deliveries" }, deliveryBacklog);
}
