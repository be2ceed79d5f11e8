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
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

const params = idParam("projectId", "prj");
const projects = routeGroup({ tags: ["Projects"], permission: "projects:read" });

projects.answer(
  projects.get("/projects", {
    summary: "List projects",
    request: { query: pageQuerySchema },
    responses: { 200: jsonContent(pageOf(projectSchema), "A page of projects") },
  }),
  function listProjectsHandler({ db, orgId, query }) {
    return listProjects(db, orgId, query);
  },
);

projects.answer(
  projects.post("/projects", {
    errors: [409],
    summary: "Create a project",
    permission: "projects:write",
    request: { body: jsonBody(newProjectSchema) },
    responses: { 201: jsonContent(projectSchema, "The new project") },
  }),
  function createProjectHandler({ db, orgId, audit, json }) {
    return createProject(db, orgId, audit, json);
  },
);

projects.answer(
  projects.get("/projects/{projectId}", {
    summary: "Get a project",
    request: { params },
    responses: { 200: jsonContent(projectSchema, "The project") },
  }),
  function getProjectHandler({ db, orgId, param }) {
    return getProject(db, orgId, param.projectId);
  },
);

projects.answer(
  projects.patch("/projects/{projectId}", {
    summary: "Update a project",
    permission: "projects:write",
    request: { params, body: jsonBody(projectPatchSchema) },
    responses: { 200: jsonContent(projectSchema, "The updated project") },
  }),
  function updateProjectHandler({ db, orgId, audit, param, json }) {
    return updateProject(db, orgId, audit, param.projectId, json);
  },
);

projects.answer(
  projects.delete("/projects/{projectId}", {
    summary: "Delete a project",
    permission: "projects:delete",
    request: { params },
    responses: { 204: { description: "Deleted" } },
  }),
  function deleteProjectHandler({ db, orgId, audit, param }) {
    return deleteProject(db, orgId, audit, param.projectId);
  },
);

export const registerProjectRoutes = (app: Router) => projects.register(app);
