import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AuditContext } from "../../shared/audit/repository.ts";
import { type ConnectionCheck, connectionCheckSchema } from "../../shared/contract/common.ts";
import type { HonoEnv } from "../hono-env.ts";
import { orgIdOf } from "../middleware/auth.ts";
import { idParam, jsonBody, jsonContent } from "../openapi.ts";
import { auditContext } from "../request-context.ts";
import type { routeGroup } from "../route.ts";
import type { Services } from "../services.ts";

/** What the OpenAPI document says of one operation: its summary and its answer's description. */
type Doc = { summary: string; answer: string };

type ProjectContext<Out = object> = Context<HonoEnv, string, { out: { param: { projectId: string } } & Out }>;

/**
 * The four operations on a project's integration with an outside service (GitHub, Jira), at
 * `/projects/{projectId}/integrations/<name>`: PUT stores the settings (`save`, audited, the secret
 * sealed) and GET reads them (`read`), both answering `schema`; DELETE removes them (`remove`, 204);
 * POST `…/test` checks the stored settings against the service (`check`), writing nothing.
 * Registered in that order.
 */
export function projectIntegrationRoutes<S extends z.ZodType, B extends z.ZodType>(
  group: ReturnType<typeof routeGroup>,
  name: string,
  schema: S,
  integration: {
    put: Doc & { body: B };
    get: Doc;
    delete: { summary: string };
    test: Doc;
    save: (
      s: Services,
      orgId: string,
      audit: AuditContext,
      projectId: string,
      input: z.infer<B>,
    ) => Promise<z.infer<S>>;
    read: (s: Services, orgId: string, projectId: string) => Promise<z.infer<S>>;
    remove: (s: Services, orgId: string, audit: AuditContext, projectId: string) => Promise<void>;
    check: (s: Services, orgId: string, projectId: string) => Promise<ConnectionCheck>;
  },
) {
  const path = `/projects/{projectId}/integrations/${name}`;
  const params = idParam("projectId", "prj");
  const { put, get, test, save, read, remove, check } = integration;
  // As in org-settings.ts: the routes' types hang on S and B, which TypeScript does not resolve
  // inside this generic function, so the handlers are typed here by hand and handed over as such.
  async function putIntegrationHandler(c: ProjectContext<{ json: z.infer<B> }>) {
    const { projectId } = c.req.valid("param");
    const saved = await save(c.get("services"), orgIdOf(c), auditContext(c), projectId, c.req.valid("json"));
    return c.json(saved, 200);
  }
  async function getIntegrationHandler(c: ProjectContext) {
    return c.json(await read(c.get("services"), orgIdOf(c), c.req.valid("param").projectId), 200);
  }
  async function deleteIntegrationHandler(c: ProjectContext) {
    await remove(c.get("services"), orgIdOf(c), auditContext(c), c.req.valid("param").projectId);
    return c.body(null, 204);
  }
  async function testIntegrationHandler(c: ProjectContext) {
    return c.json(await check(c.get("services"), orgIdOf(c), c.req.valid("param").projectId), 200);
  }
  group.handle(
    group.put(path, {
      summary: put.summary,
      request: { params, body: jsonBody(put.body) },
      responses: { 200: jsonContent(schema, put.answer) },
    }),
    putIntegrationHandler as never,
  );
  group.handle(
    group.get(path, {
      summary: get.summary,
      request: { params },
      responses: { 200: jsonContent(schema, get.answer) },
    }),
    getIntegrationHandler as never,
  );
  group.handle(
    group.delete(path, {
      summary: integration.delete.summary,
      request: { params },
      responses: { 204: { description: "Removed" } },
    }),
    deleteIntegrationHandler as never,
  );
  group.handle(
    group.post(`${path}/test`, {
      summary: test.summary,
      request: { params },
      responses: { 200: jsonContent(connectionCheckSchema, test.answer) },
    }),
    testIntegrationHandler as never,
  );
}
