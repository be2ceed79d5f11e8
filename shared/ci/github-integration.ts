import { type AuditContext, auditedDeleteProjectRow, auditedUpsert } from "../audit/repository.ts";
import type { GithubIntegration, PutGithubIntegration } from "../contract/ci.ts";
import type { ConnectionCheck } from "../contract/common.ts";
import { decryptSecret, encryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "../db/client.ts";
import { ciGithub } from "../db/schema/ci.ts";
import { notFound } from "../errors.ts";
import { GitHubClient, GitHubError } from "./github.ts";
import { githubTokenContext, loadGithubIntegration } from "./github-report.ts";
import { requireCiProject } from "./project.ts";
import { toGithubIntegration } from "./views.ts";

/** Where a project reports its gates on GitHub; the token is sealed at rest and shown masked. */

export async function saveGithubIntegration(
  db: Db,
  encryptionKey: string,
  orgId: string,
  ctx: AuditContext,
  projectId: string,
  input: PutGithubIntegration,
  now = Date.now(),
): Promise<GithubIntegration> {
  await requireCiProject(db, orgId, projectId);
  const tokenSealed = await encryptSecret(encryptionKey, input.token, githubTokenContext(orgId, projectId));
  const fields = {
    owner: input.owner,
    repo: input.repo,
    tokenSealed,
    tokenHint: input.token.slice(-4),
    updatedAt: now,
  };
  await auditedUpsert(
    db,
    orgId,
    ctx,
    ciGithub,
    { projectId, orgId, ...fields },
    { target: ciGithub.projectId, set: fields },
    {
      action: "ci.github.update",
      targetType: "project",
      targetId: projectId,
      changes: { owner: input.owner, repo: input.repo, token: "(set)" },
    },
  );
  return toGithubIntegration(fields);
}

async function requireGithubIntegration(db: Db, orgId: string, projectId: string) {
  await requireCiProject(db, orgId, projectId);
  const row = await loadGithubIntegration(db, orgId, projectId);
  if (!row) throw notFound("GitHub integration");
  return row;
}

export async function getGithubIntegration(db: Db, orgId: string, projectId: string) {
  return toGithubIntegration(await requireGithubIntegration(db, orgId, projectId));
}

export async function removeGithubIntegration(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  projectId: string,
): Promise<void> {
  const row = await requireGithubIntegration(db, orgId, projectId);
  await auditedDeleteProjectRow(db, orgId, ctx, ciGithub, projectId, {
    action: "ci.github.delete",
    changes: { owner: row.owner, repo: row.repo },
  });
}

/**
 * Reads the repository with the stored token (`GET /repos/{owner}/{repo}`), writing nothing: GitHub's
 * refusal or silence is the answer's `ok: false`. A token that may read but not push cannot report gates.
 */
export async function checkGithubIntegration(
  db: Db,
  encryptionKey: string,
  orgId: string,
  projectId: string,
  reach: { apiUrl: string; fetch?: typeof fetch },
): Promise<ConnectionCheck> {
  const row = await requireGithubIntegration(db, orgId, projectId);
  const token = await decryptSecret(encryptionKey, row.tokenSealed, githubTokenContext(orgId, projectId));
  const client = new GitHubClient({ baseUrl: reach.apiUrl, token, fetch: reach.fetch });
  try {
    const repo = await client.getRepository(row.owner, row.repo);
    if (repo.canPush === false) {
      return {
        ok: false,
        status: 200,
        message: `${repo.fullName} is readable, but the token may not write to it.`,
      };
    }
    return { ok: true, status: 200, message: `${repo.fullName} is reachable with the stored token.` };
  } catch (error) {
    if (error instanceof GitHubError) return { ok: false, status: error.status, message: error.message };
    return { ok: false, status: null, message: `could not reach GitHub: ${String(error)}`.slice(0, 500) };
  }
}
