import { readFile, stat } from "node:fs/promises";
import type { TestCase } from "@playwright/test/reporter";
import type { ArtifactContentType, ShiftyClient, TestResult } from "@shifty/sdk";

/**
 * Failure artifacts for the reporter (docs/artifacts.md): the trace.zip, screenshots and videos that
 * Playwright attached to failed and flaky tests, uploaded to their result once the run is in. Nothing
 * here may fail the user's run: every problem is logged and skipped.
 */

/** What the API accepts (its allow-list) and its per-file and per-result limits. */
const TYPES = new Set<string>(["application/zip", "image/png", "video/webm"]);
export const MAX_ARTIFACT_BYTES = 50 * 1024 * 1024;
const MAX_PER_RESULT = 20;
const CONCURRENCY = 3;

export type PendingArtifact = {
  /** How the server names the test: `[project] describe › title`, and its file. */
  key: string;
  name: string;
  contentType: ArtifactContentType;
  path?: string;
  body?: Buffer;
};

/** The server's identity of a test (shared/ci/playwright.ts): file plus `[project] titles › title`. */
export function testKey(file: string | null, name: string) {
  return `${file ?? ""}\n${name}`;
}

/** The artifacts of one failed or flaky test, newest attempt first, capped at the server's limit. */
export function artifactsOf(test: TestCase, file: string): PendingArtifact[] {
  const outcome = test.outcome();
  if (outcome !== "unexpected" && outcome !== "flaky") return [];
  const project = test.parent.project()?.name ?? "";
  const titles = test.titlePath().slice(3).join(" › ");
  const key = testKey(file, project ? `[${project}] ${titles}` : titles);
  const out: PendingArtifact[] = [];
  for (const result of [...test.results].reverse()) {
    for (const a of result.attachments) {
      const contentType = a.contentType.split(";")[0]!.trim();
      if (!TYPES.has(contentType) || (!a.path && !a.body)) continue;
      const name = a.path ? (a.path.split(/[\\/]/).pop() ?? a.name) : a.name;
      out.push({
        key,
        name: safeName(name, contentType),
        contentType: contentType as ArtifactContentType,
        path: a.path,
        body: a.body,
      });
    }
  }
  return out.slice(0, MAX_PER_RESULT);
}

/** The API takes plain file names (letters, digits, `. _ - ( ) + @ , =` and spaces). */
function safeName(name: string, contentType: string) {
  const cleaned = name
    .replace(/[^\w .()+@,=-]/g, "_")
    .slice(0, 200)
    .trim();
  return cleaned || (contentType === "application/zip" ? "trace.zip" : "attachment");
}

export type UploadSummary = { uploaded: number; skipped: number; failed: number };

/**
 * Uploads `pending` to the matching failed or flaky results of `runId`, CONCURRENCY at a time.
 * Artifacts whose test has no such result (the server saw it differently) are skipped.
 */
export async function uploadArtifacts(
  client: ShiftyClient,
  runId: string,
  pending: PendingArtifact[],
  log: (line: string) => void,
): Promise<UploadSummary> {
  const summary: UploadSummary = { uploaded: 0, skipped: 0, failed: 0 };
  if (pending.length === 0) return summary;
  let results: TestResult[];
  try {
    results = [...(await client.allResults(runId, "failed")), ...(await client.allResults(runId, "flaky"))];
  } catch (error) {
    log(`artifacts not uploaded: listing the run's results failed: ${(error as Error).message}`);
    return { ...summary, failed: pending.length };
  }
  const byKey = new Map(results.map((r) => [testKey(r.file, r.name), r.id]));
  let next = 0;
  const lane = async () => {
    while (next < pending.length) {
      const artifact = pending[next++]!;
      const resultId = byKey.get(artifact.key);
      if (!resultId) {
        summary.skipped++;
        continue;
      }
      try {
        const bytes = await bytesOf(artifact);
        if (!bytes) {
          summary.skipped++;
          log(`skipped ${artifact.name}: missing or larger than ${MAX_ARTIFACT_BYTES} bytes`);
          continue;
        }
        await client.uploadArtifact(runId, resultId, bytes, {
          contentType: artifact.contentType,
          name: artifact.name,
        });
        summary.uploaded++;
      } catch (error) {
        summary.failed++;
        log(`artifact ${artifact.name} not uploaded: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pending.length) }, lane));
  return summary;
}

async function bytesOf(artifact: PendingArtifact): Promise<Uint8Array<ArrayBuffer> | null> {
  if (artifact.body) {
    return artifact.body.byteLength <= MAX_ARTIFACT_BYTES ? new Uint8Array(artifact.body) : null;
  }
  if (!artifact.path) return null;
  const info = await stat(artifact.path).catch(() => null);
  if (!info?.isFile() || info.size === 0 || info.size > MAX_ARTIFACT_BYTES) return null;
  return new Uint8Array(await readFile(artifact.path));
}
