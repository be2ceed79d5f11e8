import { eq, type SQL, sql } from "drizzle-orm";
import { type AuditContext, auditedUpdate } from "../audit/repository.ts";
import type { CiTest, TestsQuery } from "../contract/ci.ts";
import type { Db } from "../db/client.ts";
import { pageInOrg, requireInOrg } from "../db/org-scoped.ts";
import { ciResults, ciTests } from "../db/schema/ci.ts";
import { mapPage, type PageQuery } from "../pagination.ts";
import { requireCiProject } from "./project.ts";
import { toResult, toTest } from "./views.ts";

/** A project's tests: search, health filters, history, and manual quarantine. */

/** `%part%` for LIKE with its wildcards taken literally (matched with ESCAPE '\'). */
const likePart = (part: string) => `%${part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Name / file substring (case-insensitive for ASCII, as SQLite's LIKE) and tag (with or without `@`). */
function searchFilters({ q, file, tag }: TestsQuery): (SQL | undefined)[] {
  return [
    q ? sql`${ciTests.name} LIKE ${likePart(q)} ESCAPE '\\'` : undefined,
    file ? sql`${ciTests.file} LIKE ${likePart(file)} ESCAPE '\\'` : undefined,
    tag
      ? sql`EXISTS (SELECT 1 FROM json_each(${ciTests.tags}) AS t
          WHERE lower(ltrim(t.value, '@')) = lower(ltrim(${tag}, '@')))`
      : undefined,
  ];
}

export async function listTests(db: Db, orgId: string, projectId: string, query: TestsQuery) {
  await requireCiProject(db, orgId, projectId);
  const { status } = query;
  const page = await pageInOrg(
    db,
    ciTests,
    orgId,
    query,
    eq(ciTests.projectId, projectId),
    status === "quarantined"
      ? eq(ciTests.quarantined, true)
      : status
        ? eq(ciTests.status, status)
        : undefined,
    ...searchFilters(query),
  );
  return mapPage(page, toTest);
}

export function listFlakyTests(db: Db, orgId: string, projectId: string, page: PageQuery) {
  return listTests(db, orgId, projectId, { ...page, status: "flaky" });
}

const requireTest = (db: Db, orgId: string, testId: string) =>
  requireInOrg(db, ciTests, orgId, testId, "Test");

export async function getTest(db: Db, orgId: string, testId: string) {
  return toTest(await requireTest(db, orgId, testId));
}

export async function testHistory(db: Db, orgId: string, testId: string, page: PageQuery) {
  const test = await requireTest(db, orgId, testId);
  const results = await pageInOrg(db, ciResults, orgId, page, eq(ciResults.testId, testId));
  return mapPage(results, (r) => toResult(r, test));
}

/**
 * Quarantines (`on`) or releases a test by hand. Quarantine resets the pass streak, so an automatic
 * release counts passes from here. Setting the state it already has changes nothing.
 */
export async function setQuarantine(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  testId: string,
  on: boolean,
  now = Date.now(),
): Promise<CiTest> {
  const test = await requireTest(db, orgId, testId);
  if (test.quarantined === on) return toTest(test);
  const patch = on
    ? { quarantined: true, quarantineReason: "manual" as const, quarantinedAt: now, consecutivePasses: 0 }
    : { quarantined: false, quarantineReason: null, quarantinedAt: null };
  await auditedUpdate(db, orgId, ctx, ciTests, testId, patch, {
    action: on ? "test.quarantine" : "test.release",
    targetType: "test",
    changes: { name: test.name, projectId: test.projectId },
  });
  return toTest({ ...test, ...patch });
}
