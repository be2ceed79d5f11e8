// Generation use cases: plan an exploration into files (R2) and a job row (D1), and read a job back.
// Planning is pure and takes milliseconds, so the job is planned inside the request and answered as
// finished; the statuses are part of the contract so a slower planner can move to a queue unchanged.
import { and, eq } from "drizzle-orm";
import { type AuditContext, auditedInsert } from "../audit/repository.ts";
import type { CreateGeneration, Generation, GenerationSummary } from "../contract/generation.ts";
import type { Db } from "../db/client.ts";
import { pageInOrg } from "../db/org-scoped.ts";
import { generations } from "../db/schema/generation.ts";
import { notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { mapPage, type PageQuery } from "../pagination.ts";
import { type GenerationResult, generateSuite } from "./index.ts";

type Row = typeof generations.$inferSelect;
type FileRef = { path: string; tests: number };

const fileKey = (orgId: string, id: string, path: string) => `generations/${orgId}/${id}/${path}`;

export async function createGeneration(
  deps: { db: Db; artifacts: R2Bucket; now: number },
  orgId: string,
  projectId: string,
  ctx: AuditContext,
  input: CreateGeneration,
): Promise<Generation> {
  const result = generateSuite(input.exploration, input.maxTests ?? 40);
  return storeGeneration(deps, orgId, projectId, ctx, input.exploration.appUrl, result);
}

/** Keeps planned files in R2 and the finished job in D1 (shared by every source of a generation). */
export async function storeGeneration(
  deps: { db: Db; artifacts: R2Bucket; now: number },
  orgId: string,
  projectId: string,
  ctx: AuditContext,
  appUrl: string,
  result: GenerationResult,
  /** Where the plan came from (e.g. `{ sessionId }`), kept in the audit entry. */
  source: Record<string, unknown> | null = null,
): Promise<Generation> {
  const id = newId("gen", deps.now);
  // A plan from a session names it; that is what makes the job's `source` "session".
  const sessionId = typeof source?.sessionId === "string" ? source.sessionId : null;
  // Files first: a row never points at files that are not there (orphans are harmless and unlisted).
  await Promise.all(
    result.files.map((f) =>
      deps.artifacts.put(fileKey(orgId, id, f.path), f.content, {
        httpMetadata: { contentType: "text/plain; charset=utf-8" },
      }),
    ),
  );
  const row: Row = {
    id,
    orgId,
    projectId,
    status: "succeeded",
    progress: 1,
    appUrl,
    source: sessionId ? "session" : "exploration",
    sessionId,
    figures: JSON.stringify(result.figures),
    files: JSON.stringify(result.files.map((f): FileRef => ({ path: f.path, tests: f.tests }))),
    error: null,
    createdBy: ctx.actor.id,
    createdAt: deps.now,
    updatedAt: deps.now,
  };
  await auditedInsert(deps.db, orgId, ctx, generations, row, {
    action: "generation.create",
    targetType: "generation",
    changes: source,
  });
  return toGeneration(row, result.files);
}

export async function getGeneration(
  deps: { db: Db; artifacts: R2Bucket },
  orgId: string,
  id: string,
): Promise<Generation> {
  const [row] = await deps.db
    .select()
    .from(generations)
    .where(and(eq(generations.orgId, orgId), eq(generations.id, id)))
    .limit(1);
  if (!row) throw notFound("Generation");
  const refs = JSON.parse(row.files) as FileRef[];
  const files = await Promise.all(
    refs.map(async (f) => {
      const object = await deps.artifacts.get(fileKey(orgId, id, f.path));
      return { ...f, content: object ? await object.text() : "" };
    }),
  );
  return toGeneration(row, files);
}

/** A project's generations, newest first; the files are named, their contents stay in R2. */
export async function listGenerations(
  db: Db,
  orgId: string,
  projectId: string,
  query: PageQuery,
): Promise<{ items: GenerationSummary[]; nextCursor: string | null }> {
  const page = await pageInOrg(db, generations, orgId, query, eq(generations.projectId, projectId));
  return mapPage(page, (row) => ({ ...summaryOf(row), files: JSON.parse(row.files) as FileRef[] }));
}

function summaryOf(row: Row): Omit<GenerationSummary, "files"> {
  return {
    id: row.id,
    projectId: row.projectId,
    source: row.source,
    sessionId: row.sessionId,
    status: row.status,
    progress: row.progress,
    appUrl: row.appUrl,
    figures: JSON.parse(row.figures) as Generation["figures"],
    error: row.error,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toGeneration(row: Row, files: { path: string; tests: number; content: string }[]): Generation {
  return {
    ...summaryOf(row),
    files: files.map((f) => ({ path: f.path, content: f.content, tests: f.tests })),
  };
}
