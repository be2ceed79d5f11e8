import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Insight (docs/insight.md): a repository belongs to at most one project per organisation, so records
 * from organisation-wide sources (no project on the source) are attributed by their repository.
 */
export const projectRepositories = sqliteTable(
  "project_repositories",
  {
    orgId: text("org_id").notNull(),
    /** `owner/name` as the provider sends it (GitHub full_name, GitLab path_with_namespace). */
    repository: text("repository").notNull(),
    projectId: text("project_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.repository] }),
    index("project_repositories_project").on(t.orgId, t.projectId),
  ],
);

/** ROI assumptions per organisation (shared/insight/roi.ts has the defaults). */
export const insightAssumptions = sqliteTable("insight_assumptions", {
  orgId: text("org_id").primaryKey(),
  minutesPerHeal: real("minutes_per_heal").notNull(),
  costPerCiMinute: real("cost_per_ci_minute").notNull(),
  currency: text("currency").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
