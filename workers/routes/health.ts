import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { dependencyFailureIn } from "../../shared/errors.ts";
import { queueRecentlyFailed } from "../bindings.ts";
import { jsonContent, type Router } from "../openapi.ts";
import { defineRoute } from "../route.ts";

const componentSchema = z.object({
  status: z.enum(["ok", "error"]),
  latencyMs: z.number(),
  error: z.string().optional(),
});
const readySchema = z.object({
  status: z.enum(["ok", "error"]),
  components: z.record(z.string(), componentSchema),
});

/** A probe that has not answered by then counts as failed: readiness must answer fast. */
const PROBE_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>) {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error(), { name: "ProbeTimeout" })),
          PROBE_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: "ok" as const, latencyMs: Date.now() - started };
  } catch (error) {
    // Only the error's class name: connection strings or paths must not leak.
    const cause = (dependencyFailureIn(error)?.cause ?? error) as Error | undefined;
    return { status: "error" as const, latencyMs: Date.now() - started, error: cause?.name ?? "Error" };
  } finally {
    clearTimeout(timer);
  }
}

/** A queue producer has nothing to read: its state is the last send this isolate made (workers/bindings.ts). */
function observedQueue() {
  return queueRecentlyFailed()
    ? { status: "error" as const, latencyMs: 0, error: "RecentSendFailed" }
    : { status: "ok" as const, latencyMs: 0 };
}

export function registerHealthRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/healthz",
      access: "public",
      tags: ["Health"],
      summary: "Liveness (no dependencies)",
      responses: { 200: jsonContent(z.object({ status: z.literal("ok") }), "Alive") },
    }),
    (c) => c.json({ status: "ok" as const }, 200),
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/readyz",
      access: "public",
      tags: ["Health"],
      summary: "Readiness: D1, KV, R2 and the Durable Objects answer; the queue's last send succeeded",
      description:
        "Each component is `ok` or `error` with the error's class name; any error makes the answer a 503.",
      responses: { 200: jsonContent(readySchema, "Ready"), 503: jsonContent(readySchema, "Not ready") },
    }),
    async function readiness(c) {
      const { db, cache, artifacts, rateLimiter } = c.get("services");
      const [d1, kv, r2, durable_object] = await Promise.all([
        probe(() => db.run(sql`SELECT 1`)),
        probe(() => cache.get("readyz:probe")),
        probe(() => artifacts.head("readyz:probe")),
        probe(() => rateLimiter.get(rateLimiter.idFromName("readyz:probe")).usage()),
      ]);
      const components = { d1, kv, r2, durable_object, queue: observedQueue() };
      const ok = Object.values(components).every((component) => component.status === "ok");
      return c.json({ status: ok ? ("ok" as const) : ("error" as const), components }, ok ? 200 : 503);
    },
  );
}
