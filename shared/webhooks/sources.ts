import { eq } from "drizzle-orm";
import { type AuditContext, auditedInsert, deleteInOrg } from "../audit/repository.ts";
import type { CreateSourceRequest } from "../contract/webhooks.ts";
import { encryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "../db/client.ts";
import { pageInOrg, requireInOrg } from "../db/org-scoped.ts";
import { organizations, projects } from "../db/schema/tenancy.ts";
import { webhookSources } from "../db/schema/webhooks.ts";
import { newId } from "../ids.ts";
import type { PageQuery } from "../pagination.ts";
import type { Plan } from "../tenancy/plans.ts";
import { newSharedSecret, newStandardSecret } from "./routing.ts";

/** Inbound sources: where a provider sends its webhooks, with the secret that proves it is the provider. */

export type WebhookSourceRow = typeof webhookSources.$inferSelect;

/** Creates a source; the secret (given, or generated for the provider's scheme) is returned once. */
export async function createSource(
  db: Db,
  encryptionKey: string,
  orgId: string,
  audit: AuditContext,
  input: CreateSourceRequest,
  now: number,
): Promise<{ source: WebhookSourceRow; secret: string }> {
  if (input.projectId) await requireInOrg(db, projects, orgId, input.projectId, "Project");
  const id = newId("src", now);
  const secret = input.secret ?? (input.provider === "standard" ? newStandardSecret() : newSharedSecret());
  const source = {
    id,
    orgId,
    provider: input.provider,
    name: input.name,
    environment: input.environment ?? null,
    projectId: input.projectId ?? null,
    secretSealed: await encryptSecret(encryptionKey, secret, id),
    createdAt: now,
    updatedAt: now,
  };
  await auditedInsert(db, orgId, audit, webhookSources, source, {
    action: "webhook_source.create",
    targetType: "webhook_source",
    changes: { provider: source.provider, name: source.name, environment: source.environment },
  });
  return { source, secret };
}

export function listSources(db: Db, orgId: string, page: PageQuery) {
  return pageInOrg(db, webhookSources, orgId, page);
}

export function requireSource(db: Db, orgId: string, sourceId: string): Promise<WebhookSourceRow> {
  return requireInOrg(db, webhookSources, orgId, sourceId, "Webhook source");
}

/** Deletes a source: its URL stops accepting (at once in this isolate); stored events stay. */
export async function deleteSource(db: Db, orgId: string, audit: AuditContext, sourceId: string) {
  await deleteInOrg(db, orgId, audit, webhookSources, sourceId, "Webhook source", (source) => ({
    action: "webhook_source.delete",
    targetType: "webhook_source",
    changes: { name: source.name },
  }));
  forgetIngestSource(sourceId);
}

export const SOURCE_ID = /^src_[0-9a-z]{26}$/;

export type IngestSource = WebhookSourceRow & { plan: Plan };

/**
 * The source behind a public ingest URL. The only lookup not scoped by org: the URL is what identifies
 * the tenant (its id is 80 random bits), and the secret check follows immediately.
 */
export async function findSourceForIngest(db: Db, sourceId: string): Promise<IngestSource | null> {
  if (!SOURCE_ID.test(sourceId)) return null;
  // The org's plan rides along: ingest has no principal, and the rate limit depends on the plan.
  const rows = await db
    .select({ source: webhookSources, plan: organizations.plan })
    .from(webhookSources)
    .innerJoin(organizations, eq(organizations.id, webhookSources.orgId))
    .where(eq(webhookSources.id, sourceId))
    .limit(1);
  return rows[0] ? { ...rows[0].source, plan: rows[0].plan } : null;
}

const SOURCE_CACHE_MS = 30_000;
const sourceCache = new Map<string, { at: number; source: IngestSource }>();

/**
 * findSourceForIngest with a 30 s per-isolate memo (hot path: one D1 read fewer per delivery).
 * Trade-off: a deleted source keeps accepting in another warm isolate for at most 30 s.
 */
export async function findSourceForIngestCached(
  db: Db,
  sourceId: string,
  now: number,
): Promise<IngestSource | null> {
  const hit = sourceCache.get(sourceId);
  if (hit && now - hit.at < SOURCE_CACHE_MS) return hit.source;
  const source = await findSourceForIngest(db, sourceId);
  if (sourceCache.size > 1000) sourceCache.clear();
  if (source) sourceCache.set(sourceId, { at: now, source });
  return source;
}

export function forgetIngestSource(sourceId: string) {
  sourceCache.delete(sourceId);
}
