import { pageOf } from "../../../shared/contract/common.ts";
import { newProjectSchema, projectPatchSchema, projectSchema } from "../../../shared/contract/tenancy.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import {
  createProject,
  deleteProject,
  getProject,
  listProjects,
  updateProject,
} from "../../../shared/tenancy/projects.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";

const params = idParam("projectId", "prj");
const projects = routeGroup({ tags: ["Projects"], permission: "projects:read" });

projects.handle(
  projects.get("/projects", {
    summary: "List projects",
    request: { query: pageQuerySchema },
    responses: { 200: jsonContent(pageOf(projectSchema), "A page of projects") },
  }),
  async function listProjectsHandler(c) {
    return c.json(await listProjects(c.get("services").db, orgIdOf(c), c.req.valid("query")), 200);
  },
);

projects.handle(
  projects.post("/projects", {
    errors: [409],
    summary: "Create a project",
    permission: "projects:write",
    request: { body: jsonBody(newProjectSchema) },
    responses: { 201: jsonContent(projectSchema, "The new project") },
  }),
  async function createProjectHandler(c) {
    const { db } = c.get("services");
    const project = await createProject(db, orgIdOf(c), auditContext(c), c.req.valid("json"));
    return c.json(project, 201);
  },
);

projects.handle(
  projects.get("/projects/{projectId}", {
    summary: "Get a project",
    request: { params },
    responses: { 200: jsonContent(projectSchema, "The project") },
  }),
  async function getProjectHandler(c) {
    const { projectId } = c.req.valid("param");
    return c.json(await getProject(c.get("services").db, orgIdOf(c), projectId), 200);
  },
);

projects.handle(
  projects.patch("/projects/{projectId}", {
    summary: "Update a project",
    permission: "projects:write",
    request: { params, body: jsonBody(projectPatchSchema) },
    responses: { 200: jsonContent(projectSchema, "The updated project") },
  }),
  async function updateProjectHandler(c) {
    const { projectId } = c.req.valid("param");
    const { db } = c.get("services");
    const project = await updateProject(db, orgIdOf(c), auditContext(c), projectId, c.req.valid("json"));
    return c.json(project, 200);
  },
);

projects.handle(
  projects.delete("/projects/{projectId}", {
    summary: "Delete a project",
    permission: "projects:delete",
    request: { params },
    responses: { 204: { description: "Deleted" } },
  }),
  async function deleteProjectHandler(c) {
    const { projectId } = c.req.valid("param");
    await deleteProject(c.get("services").db, orgIdOf(c), auditContext(c), projectId);
    return c.body(null, 204);
  },
);

export const registerProjectRoutes = (app: Router) => projects.register(app);
