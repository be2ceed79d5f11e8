import { z } from "@hono/zod-openapi";
import { findInOrg, pageInOrg } from "../../../shared/db/org-scoped.ts";
import { and, eq } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { type Db, isUniqueViolation } from "../../../shared/db/client.ts";
import { projects } from "../../../shared/db/schema/tenancy.ts";
import { newId, slugify } from "../../../shared/ids.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { ApiError, notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";

export const projectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi("Project");

const createProjectSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,47}$/)
    .optional(),
  description: z.string().max(2000).optional(),
});

const updateProjectSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2000).nullable().optional(),
});

const params = idParam("projectId", "prj");
const tags = ["Projects"];

export function registerProjectRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/projects",
      tags,
      summary: "List projects",
      permission: "projects:read",
      request: { query: pageQuerySchema },
      responses: { 200: jsonContent(pageOf(projectSchema), "A page of projects") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const page = await pageInOrg(c.get("services").db, projects, orgId, c.req.valid("query"));
      return c.json({ ...page, items: page.items.map(toProject) }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/projects",
      errors: [409],
      tags,
      summary: "Create a project",
      permission: "projects:write",
      request: { body: jsonBody(createProjectSchema) },
      responses: {
        201: jsonContent(projectSchema, "The new project"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const body = c.req.valid("json");
      const { db } = c.get("services");
      const now = Date.now();
      const row = {
        id: newId("prj", now),
        orgId,
        name: body.name,
        slug: body.slug ?? slugify(body.name),
        description: body.description ?? null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await auditedBatch(
          db,
          orgId,
          auditContext(c),
          {
            action: "project.create",
            targetType: "project",
            targetId: row.id,
            changes: { name: row.name, slug: row.slug },
          },
          () => [db.insert(projects).values(row)],
        );
      } catch (error) {
        if (isUniqueViolation(error, "projects"))
          throw new ApiError("conflict", `A project with slug "${row.slug}" exists`);
        throw error;
      }
      return c.json(toProject(row), 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/projects/{projectId}",
      tags,
      summary: "Get a project",
      permission: "projects:read",
      request: { params },
      responses: { 200: jsonContent(projectSchema, "The project") },
    }),
    async (c) => {
      const project = await requireProject(c.get("services").db, orgIdOf(c), c.req.valid("param").projectId);
      return c.json(toProject(project), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "patch",
      path: "/projects/{projectId}",
      tags,
      summary: "Update a project",
      permission: "projects:write",
      request: { params, body: jsonBody(updateProjectSchema) },
      responses: { 200: jsonContent(projectSchema, "The updated project") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const patch = c.req.valid("json");
      const { db } = c.get("services");
      const before = await requireProject(db, orgId, projectId);
      const after = { ...before, ...patch, updatedAt: Date.now() };
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        { action: "project.update", targetType: "project", targetId: projectId, changes: patch },
        () => [
          db
            .update(projects)
            .set({ name: after.name, description: after.description, updatedAt: after.updatedAt })
            .where(and(eq(projects.orgId, orgId), eq(projects.id, projectId))),
        ],
      );
      return c.json(toProject(after), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/projects/{projectId}",
      tags,
      summary: "Delete a project",
      permission: "projects:write",
      request: { params },
      responses: { 204: { description: "Deleted" } },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const { db } = c.get("services");
      const project = await requireProject(db, orgId, projectId);
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "project.delete",
          targetType: "project",
          targetId: projectId,
          changes: { name: project.name },
        },
        () => [db.delete(projects).where(and(eq(projects.orgId, orgId), eq(projects.id, projectId)))],
      );
      return c.body(null, 204);
    },
  );
}

/** The org's project or a 404 (also for another org's id: existence is never revealed). */
export async function requireProject(db: Db, orgId: string, projectId: string) {
  const row = await findInOrg(db, projects, orgId, projectId);
  if (!row) throw notFound("Project");
  return row;
}

function toProject(row: typeof projects.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
