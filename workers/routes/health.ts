import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
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

async function probe(check: () => Promise<unknown>) {
  const started = Date.now();
  try {
    await check();
    return { status: "ok" as const, latencyMs: Date.now() - started };
  } catch (error) {
    // Only the error's class name: connection strings or paths must not leak.
    return {
      status: "error" as const,
      latencyMs: Date.now() - started,
      error: (error as Error)?.name ?? "Error",
    };
  }
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
      summary: "Readiness: D1 and KV answer",
      responses: { 200: jsonContent(readySchema, "Ready"), 503: jsonContent(readySchema, "Not ready") },
    }),
    async (c) => {
      const [d1, kv] = await Promise.all([
        probe(() => c.get("services").db.run(sql`SELECT 1`)),
        probe(() => c.get("services").cache.get("readyz:probe")),
      ]);
      const ok = d1.status === "ok" && kv.status === "ok";
      return c.json(
        { status: ok ? ("ok" as const) : ("error" as const), components: { d1, kv } },
        ok ? 200 : 503,
      );
    },
  );
}
