import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { githubTokenContext, loadGithubIntegration } from "../../../shared/ci/github-report.ts";
import { encryptSecret } from "../../../shared/crypto/secret-box.ts";
import { ciGithub } from "../../../shared/db/schema/ci.ts";
import { notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";

const githubIntegrationSchema = z
  .object({
    owner: z.string(),
    repo: z.string(),
    token: z
      .string()
      .openapi({ description: "Masked: only the last 4 characters are shown", example: "…a1b2" }),
    updatedAt: z.number().int(),
  })
  .openapi("GitHubIntegration");

// GitHub's own limits: owner ≤ 39 chars (alphanumeric and single hyphens), repo ≤ 100 of [A-Za-z0-9._-].
const putSchema = z.strictObject({
  token: z.string().trim().min(20).max(512).regex(/^\S+$/, { error: "token must not contain whitespace" }),
  owner: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, { error: "owner is not a GitHub user or org name" }),
  repo: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, { error: "repo is not a GitHub repository name" }),
});

const params = idParam("projectId", "prj");
const tags = ["CI"];
const path = "/projects/{projectId}/integrations/github";

const mask = (hint: string) => `…${hint}`;

export function registerGithubIntegrationRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "put",
      path,
      tags,
      summary: "Report quality gates to a GitHub repository (check run, or commit status for non-App tokens)",
      permission: "integrations:manage",
      request: { params, body: jsonBody(putSchema) },
      responses: {
        200: jsonContent(githubIntegrationSchema, "The integration (token masked)"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const body = c.req.valid("json");
      const { db, config } = c.get("services");
      await requireProject(db, orgId, projectId);
      const tokenSealed = await encryptSecret(
        config.encryptionKey,
        body.token,
        githubTokenContext(orgId, projectId),
      );
      const row = {
        projectId,
        orgId,
        owner: body.owner,
        repo: body.repo,
        tokenSealed,
        tokenHint: body.token.slice(-4),
        updatedAt: Date.now(),
      };
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "ci.github.update",
          targetType: "project",
          targetId: projectId,
          changes: { owner: body.owner, repo: body.repo, token: "(set)" },
        },
        () => [
          db
            .insert(ciGithub)
            .values(row)
            .onConflictDoUpdate({
              target: ciGithub.projectId,
              set: {
                owner: row.owner,
                repo: row.repo,
                tokenSealed,
                tokenHint: row.tokenHint,
                updatedAt: row.updatedAt,
              },
            }),
        ],
      );
      return c.json(
        { owner: row.owner, repo: row.repo, token: mask(row.tokenHint), updatedAt: row.updatedAt },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path,
      tags,
      summary: "The project's GitHub integration (token masked)",
      permission: "integrations:manage",
      request: { params },
      responses: { 200: jsonContent(githubIntegrationSchema, "The integration") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      const row = await loadGithubIntegration(db, orgId, projectId);
      if (!row) throw notFound("GitHub integration");
      return c.json(
        { owner: row.owner, repo: row.repo, token: mask(row.tokenHint), updatedAt: row.updatedAt },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path,
      tags,
      summary: "Stop reporting to GitHub",
      permission: "integrations:manage",
      request: { params },
      responses: { 204: { description: "Removed" } },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const { db } = c.get("services");
      await requireProject(db, orgId, projectId);
      const row = await loadGithubIntegration(db, orgId, projectId);
      if (!row) throw notFound("GitHub integration");
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "ci.github.delete",
          targetType: "project",
          targetId: projectId,
          changes: { owner: row.owner, repo: row.repo },
        },
        () => [db.delete(ciGithub).where(and(eq(ciGithub.orgId, orgId), eq(ciGithub.projectId, projectId)))],
      );
      return c.body(null, 204);
    },
  );
}
