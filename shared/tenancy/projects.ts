import { type AuditContext, auditedInsert, auditedUpdate, deleteInOrg } from "../audit/repository.ts";
import type { Page } from "../contract/common.ts";
import type { NewProject, Project, ProjectPatch } from "../contract/tenancy.ts";
import { conflictOnDuplicate, type Db } from "../db/client.ts";
import { pageInOrg, requireInOrg } from "../db/org-scoped.ts";
import { projects } from "../db/schema/tenancy.ts";
import { newId, slugify } from "../ids.ts";
import { mapPage, type PageQuery } from "../pagination.ts";

type ProjectRow = typeof projects.$inferSelect;

/**
 * The org's project or a 404 (also for another org's id: existence is never revealed). Every domain
 * with project-scoped routes checks the project through this.
 */
export function requireProject(db: Db, orgId: string, projectId: string): Promise<ProjectRow> {
  return requireInOrg(db, projects, orgId, projectId, "Project");
}

function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function listProjects(db: Db, orgId: string, page: PageQuery): Promise<Page<Project>> {
  return mapPage(await pageInOrg(db, projects, orgId, page), toProject);
}

export async function getProject(db: Db, orgId: string, projectId: string): Promise<Project> {
  return toProject(await requireProject(db, orgId, projectId));
}

/** A slug is unique within the org: a taken one is a 409. */
export async function createProject(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  input: NewProject,
): Promise<Project> {
  const now = Date.now();
  const row: ProjectRow = {
    id: newId("prj", now),
    orgId,
    name: input.name,
    slug: input.slug ?? slugify(input.name),
    description: input.description ?? null,
    createdAt: now,
    updatedAt: now,
  };
  const write = auditedInsert(db, orgId, ctx, projects, row, {
    action: "project.create",
    targetType: "project",
    changes: { name: row.name, slug: row.slug },
  });
  await conflictOnDuplicate(write, "projects", `A project with slug "${row.slug}" exists`);
  return toProject(row);
}

export async function updateProject(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  projectId: string,
  patch: ProjectPatch,
): Promise<Project> {
  const before = await requireProject(db, orgId, projectId);
  const after = { ...before, ...patch, updatedAt: Date.now() };
  await auditedUpdate(
    db,
    orgId,
    ctx,
    projects,
    projectId,
    { name: after.name, description: after.description, updatedAt: after.updatedAt },
    { action: "project.update", targetType: "project", changes: patch },
  );
  return toProject(after);
}

export async function deleteProject(db: Db, orgId: string, ctx: AuditContext, projectId: string) {
  await deleteInOrg(db, orgId, ctx, projects, projectId, "Project", (project) => ({
    action: "project.delete",
    targetType: "project",
    changes: { name: project.name },
  }));
}
