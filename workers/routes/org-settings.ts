import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AuditContext } from "../../shared/audit/repository.ts";
import type { Db } from "../../shared/db/client.ts";
import type { Permission } from "../../shared/tenancy/permissions.ts";
import type { HonoEnv } from "../hono-env.ts";
import { orgIdOf } from "../middleware/auth.ts";
import { jsonBody, jsonContent } from "../openapi.ts";
import { auditContext } from "../request-context.ts";
import type { routeGroup } from "../route.ts";
import type { Services } from "../services.ts";

/** What the OpenAPI document says of one side (GET or PUT) of a settings document. */
type Side = { summary: string; description?: string; permission?: Permission; answer: string };

/**
 * GET and PUT of one organisation-wide settings document (the AI settings, the MCP policy, the ROI
 * assumptions): GET answers `read(db, orgId)`; PUT validates the body with `put.body`, stores it with
 * `write` (audited) and answers what is stored. Both answer with `schema`. Registered GET then PUT.
 */
export function orgSettingsRoutes<S extends z.ZodType, B extends z.ZodType>(
  group: ReturnType<typeof routeGroup>,
  path: string,
  schema: S,
  settings: {
    get: Side;
    put: Side & { body: B };
    read: (db: Db, orgId: string) => Promise<z.infer<S>>;
    write: (
      db: Db,
      orgId: string,
      audit: AuditContext,
      input: z.infer<B>,
      s: Services,
    ) => Promise<z.infer<S>>;
  },
) {
  const { get, put, read, write } = settings;
  const { answer: got, ...getSpec } = get;
  const { answer: stored, body, ...putSpec } = put;
  // The routes' types hang on S and B, which TypeScript does not resolve inside this generic
  // function: the handlers are typed here by hand (a body of B in, S out) and handed over as such.
  async function getSettingsHandler(c: Context<HonoEnv>) {
    return c.json(await read(c.get("services").db, orgIdOf(c)), 200);
  }
  async function putSettingsHandler(c: Context<HonoEnv, string, { out: { json: z.infer<B> } }>) {
    const s = c.get("services");
    return c.json(await write(s.db, orgIdOf(c), auditContext(c), c.req.valid("json"), s), 200);
  }
  group.handle(
    group.get(path, { ...getSpec, responses: { 200: jsonContent(schema, got) } }),
    getSettingsHandler as never,
  );
  group.handle(
    group.put(path, {
      ...putSpec,
      request: { body: jsonBody(body) },
      responses: { 200: jsonContent(schema, stored) },
    }),
    putSettingsHandler as never,
  );
}
