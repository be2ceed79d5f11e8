import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditedBatch } from "../../shared/audit/repository.ts";
import { createDb } from "../../shared/db/client.ts";
import { projects } from "../../shared/db/schema/tenancy.ts";
import { abortUnlessChanged, isGuardTripped } from "../../shared/db/write-guard.ts";
import { newTenant } from "../helpers.ts";

describe("write guard (compare-and-set inside one D1 batch)", () => {
  const rename = (db: ReturnType<typeof createDb>, id: string, from: string, to: string) =>
    db.update(projects).set({ name: to }).where(sql`${projects.id} = ${id} AND ${projects.name} = ${from}`);
  const auditCount = async (orgId: string) =>
    (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE org_id = ?")
      .bind(orgId)
      .first<{ n: number }>())!.n;

  it("lets the batch through when the guarded update changed a row", async () => {
    const t = await newTenant();
    const db = createDb(env.DB);
    const [project] = await db.select().from(projects).where(eq(projects.id, t.projectId));
    const before = await auditCount(t.orgId);
    await auditedBatch(
      db,
      t.orgId,
      { actor: { type: "user", id: t.userId } },
      { action: "x", targetType: "project" },
      () => [rename(db, t.projectId, project!.name, "Renamed"), abortUnlessChanged(db)],
    );
    const [after] = await db.select().from(projects).where(eq(projects.id, t.projectId));
    expect(after!.name).toBe("Renamed");
    expect(await auditCount(t.orgId)).toBe(before + 1);
  });

  it("rolls back every statement, audit row included, when the guarded update matched nothing", async () => {
    const t = await newTenant();
    const db = createDb(env.DB);
    const [project] = await db.select().from(projects).where(eq(projects.id, t.projectId));
    const before = await auditCount(t.orgId);
    const batch = auditedBatch(
      db,
      t.orgId,
      { actor: { type: "user", id: t.userId } },
      { action: "x", targetType: "project" },
      () => [
        db.update(projects).set({ name: "Written first" }).where(eq(projects.id, t.projectId)),
        rename(db, t.projectId, "not the current name", "Renamed"),
        abortUnlessChanged(db),
      ],
    );
    const error = await batch.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isGuardTripped(error)).toBe(true);
    const [after] = await db.select().from(projects).where(eq(projects.id, t.projectId));
    expect(after!.name).toBe(project!.name);
    expect(await auditCount(t.orgId)).toBe(before);
    const guard = await env.DB.prepare("SELECT count(*) AS n FROM write_guard").first<{ n: number }>();
    expect(guard!.n).toBe(0);
  });
});
