import {
  checkGithubIntegration,
  getGithubIntegration,
  removeGithubIntegration,
  saveGithubIntegration,
} from "../../../shared/ci/github-integration.ts";
import { githubIntegrationSchema, putGithubIntegrationSchema } from "../../../shared/contract/ci.ts";
import type { Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";
import { projectIntegrationRoutes } from "../project-integrations.ts";

const ci = routeGroup({ tags: ["CI"], permission: "integrations:manage" });

projectIntegrationRoutes(ci, "github", githubIntegrationSchema, {
  put: {
    summary: "Report quality gates to a GitHub repository (check run, or commit status for non-App tokens)",
    body: putGithubIntegrationSchema,
    answer: "The integration (token masked)",
  },
  get: { summary: "The project's GitHub integration (token masked)", answer: "The integration" },
  delete: { summary: "Stop reporting to GitHub" },
  test: {
    summary: "Test the stored GitHub settings: read the repository with the token (nothing is written)",
    answer: "What GitHub answered",
  },
  save: (s, orgId, audit, projectId, input) =>
    saveGithubIntegration(s.db, s.config.encryptionKey, orgId, audit, projectId, input),
  read: (s, orgId, projectId) => getGithubIntegration(s.db, orgId, projectId),
  remove: (s, orgId, audit, projectId) => removeGithubIntegration(s.db, orgId, audit, projectId),
  check: (s, orgId, projectId) =>
    checkGithubIntegration(s.db, s.config.encryptionKey, orgId, projectId, { apiUrl: s.config.githubApiUrl }),
});

export const registerGithubIntegrationRoutes = (app: Router) => ci.register(app);
