import { and, count, eq } from "drizzle-orm";
import { type AuditContext, auditedBatch } from "../audit/repository.ts";
import {
  ARTIFACT_TYPES,
  type Artifact,
  type ArtifactContentType,
  type ArtifactListQuery,
} from "../contract/ci-artifacts.ts";
import type { Db } from "../db/client.ts";
import { firstInOrg, pageMatching, requireInOrg } from "../db/org-scoped.ts";
import { ciResults, ciRuns } from "../db/schema/ci.ts";
import { ciArtifacts } from "../db/schema/ci-artifacts.ts";
import { ApiError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { type SignedArtifactUrl, signArtifactUrl } from "./artifact-links.ts";

/** Failure artifacts of test results (docs/artifacts.md): the bytes go to R2, the index row to D1. */
export const MAX_ARTIFACT_BYTES = 50 * 1024 * 1024;
/** Per test result: a retried test has a trace, a video and a screenshot or two per attempt. */
export const MAX_ARTIFACTS_PER_RESULT = 20;

export type ArtifactRow = typeof ciArtifacts.$inferSelect;

const MAGIC: Record<ArtifactContentType, number[][]> = {
  // A zip starts with a local file header, or is an empty archive's end record.
  "application/zip": [
    [0x50, 0x4b, 0x03, 0x04],
    [0x50, 0x4b, 0x05, 0x06],
  ],
  "image/png": [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  // WebM is Matroska: an EBML header.
  "video/webm": [[0x1a, 0x45, 0xdf, 0xa3]],
};

/** The declared media type if it is on the allow-list, else a 415 (checked before the body is read). */
export function requireArtifactType(header: string | undefined): ArtifactContentType {
  const type = (header ?? "").split(";")[0]!.trim().toLowerCase();
  if (!(type in ARTIFACT_TYPES)) {
    throw new ApiError(
      "unsupported_media_type",
      "Send a trace as application/zip, an image/png or a video/webm",
    );
  }
  return type as ArtifactContentType;
}

/** Refuses an empty or oversized body, or one whose bytes are not what its Content-Type says. */
export function checkArtifactBytes(type: ArtifactContentType, bytes: Uint8Array) {
  if (bytes.byteLength === 0) throw new ApiError("bad_request", "The body is empty");
  if (bytes.byteLength > MAX_ARTIFACT_BYTES) {
    throw new ApiError("payload_too_large", `Artifacts are limited to ${MAX_ARTIFACT_BYTES} bytes`);
  }
  const matches = MAGIC[type].some(
    (sig) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b),
  );
  if (!matches) throw new ApiError("unsupported_media_type", `The body is not a ${type} file`);
}

const EXTENSIONS: Record<ArtifactContentType, string> = {
  "application/zip": "zip",
  "image/png": "png",
  "video/webm": "webm",
};

/** The run and the result (of that run) an artifact is uploaded for; 404 for anything not the org's. */
export async function requireResultOfRun(db: Db, orgId: string, runId: string, resultId: string) {
  await requireInOrg(db, ciRuns, orgId, runId, "Run");
  const [result] = await db
    .select({ id: ciResults.id, projectId: ciResults.projectId, status: ciResults.status })
    .from(ciResults)
    .where(and(eq(ciResults.orgId, orgId), eq(ciResults.runId, runId), eq(ciResults.id, resultId)))
    .limit(1);
  if (!result) throw notFound("Test result");
  return result;
}

export type ArtifactUpload = {
  runId: string;
  resultId: string;
  contentType: ArtifactContentType;
  name?: string;
  bytes: Uint8Array;
};

type LinkSettings = { secret: string; publicUrl: string };

/**
 * Stores one artifact: R2 object first, then the row in an audited batch (the object is removed again
 * when the row cannot be written). Only failed and flaky results keep artifacts.
 */
export async function uploadArtifact(
  db: Db,
  bucket: R2Bucket,
  links: LinkSettings,
  orgId: string,
  audit: AuditContext,
  upload: ArtifactUpload,
  now = Date.now(),
): Promise<Artifact> {
  const { runId, resultId, contentType, bytes } = upload;
  const result = await requireResultOfRun(db, orgId, runId, resultId);
  if (result.status !== "failed" && result.status !== "flaky") {
    throw new ApiError(
      "unprocessable",
      `Artifacts are kept for failed or flaky results; this one ${result.status}`,
    );
  }
  const [held] = await db
    .select({ n: count() })
    .from(ciArtifacts)
    .where(and(eq(ciArtifacts.orgId, orgId), eq(ciArtifacts.resultId, resultId)));
  if ((held?.n ?? 0) >= MAX_ARTIFACTS_PER_RESULT) {
    throw new ApiError("conflict", `A test result keeps at most ${MAX_ARTIFACTS_PER_RESULT} artifacts`);
  }
  checkArtifactBytes(contentType, bytes);
  const kind = ARTIFACT_TYPES[contentType];
  const id = newId("art", now);
  const name = upload.name ?? `${kind}.${EXTENSIONS[contentType]}`;
  const r2Key = `orgs/${orgId}/runs/${runId}/artifacts/${id}.${EXTENSIONS[contentType]}`;
  const size = bytes.byteLength;
  await bucket.put(r2Key, bytes, {
    httpMetadata: { contentType },
    customMetadata: { orgId, runId, resultId },
  });
  const row: ArtifactRow = {
    id,
    orgId,
    projectId: result.projectId,
    runId,
    resultId,
    kind,
    name,
    contentType,
    size,
    r2Key,
    createdAt: now,
  };
  try {
    await auditedBatch(
      db,
      orgId,
      audit,
      {
        action: "ci.artifact.upload",
        targetType: "artifact",
        targetId: id,
        changes: { runId, resultId, kind, size },
      },
      () => [db.insert(ciArtifacts).values(row)],
    );
  } catch (error) {
    await bucket.delete(r2Key).catch(() => undefined);
    throw error;
  }
  return toArtifact(row, await signArtifactUrl(links, orgId, id, now));
}

/** A run's artifacts, newest first, each with a fresh signed URL; `resultId` narrows to one result. */
export async function listArtifacts(
  db: Db,
  links: LinkSettings,
  orgId: string,
  runId: string,
  query: ArtifactListQuery,
  now = Date.now(),
) {
  await requireInOrg(db, ciRuns, orgId, runId, "Run");
  const page = await pageMatching(db, ciArtifacts, orgId, query, { runId, resultId: query.resultId });
  const items = await Promise.all(
    page.items.map(async (row) => toArtifact(row, await signArtifactUrl(links, orgId, row.id, now))),
  );
  return { items, nextCursor: page.nextCursor };
}

/** An artifact's row and its R2 object; 404 for another org's id, another run's, or a lost object. */
export async function readArtifact(
  db: Db,
  bucket: R2Bucket,
  orgId: string,
  artifactId: string,
  runId?: string,
) {
  const row = await firstInOrg(
    db,
    ciArtifacts,
    orgId,
    eq(ciArtifacts.id, artifactId),
    runId ? eq(ciArtifacts.runId, runId) : undefined,
  );
  if (!row) throw notFound("Artifact");
  const object = await bucket.get(row.r2Key);
  if (!object) throw notFound("Artifact");
  return { row, object };
}

/** The response headers of a streamed artifact (a download name, never sniffed into something else). */
export function artifactHeaders(row: ArtifactRow, etag: string, maxAgeSeconds: number) {
  return {
    "content-type": row.contentType,
    "content-length": String(row.size),
    "cache-control": `private, max-age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    "content-disposition": `${row.kind === "screenshot" ? "inline" : "attachment"}; filename="${row.id}.${EXTENSIONS[row.contentType]}"`,
    etag,
  };
}

function toArtifact(row: ArtifactRow, link: SignedArtifactUrl): Artifact {
  const { id, runId, resultId, kind, name, contentType, size, createdAt } = row;
  return {
    id,
    runId,
    resultId,
    kind,
    name,
    contentType,
    size,
    createdAt,
    url: link.url,
    urlExpiresAt: link.expiresAt,
  };
}
