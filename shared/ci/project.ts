import type { Db } from "../db/client.ts";
import { requireInOrg } from "../db/org-scoped.ts";
import { projects } from "../db/schema/tenancy.ts";

/** The org's project or a 404 (also for another org's id): every project-scoped CI call starts here. */
export const requireCiProject = (db: Db, orgId: string, projectId: string) =>
  requireInOrg(db, projects, orgId, projectId, "Project");
