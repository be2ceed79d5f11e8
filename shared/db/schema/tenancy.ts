import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, createdNow, orgRow, requestClient, timestampsNow } from "./columns.ts";

export const organizations = sqliteTable("organizations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  plan: text("plan", { enum: ["free", "pro", "enterprise"] })
    .notNull()
    .default("free"),
  /** Sign-in policies (migrations/0012_sso_mfa.sql, docs/sso-mfa.md). */
  requireMfa: integer("require_mfa", { mode: "boolean" }).notNull().default(false),
  requireSso: integer("require_sso", { mode: "boolean" }).notNull().default(false),
  /** Soft delete: set, the organisation is unusable and erased 30 days later (docs/data-lifecycle.md). */
  deletedAt: integer("deleted_at"),
  ...timestampsNow(),
});

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  isPlatformAdmin: integer("is_platform_admin", { mode: "boolean" }).notNull().default(false),
  ...createdNow(),
});

export const customRoles = sqliteTable(
  "custom_roles",
  {
    ...orgRow(),
    name: text("name").notNull(),
    description: text("description"),
    permissions: text("permissions", { mode: "json" }).$type<string[]>().notNull(),
    ...timestampsNow(),
  },
  (t) => [uniqueIndex("custom_roles_org_name").on(t.orgId, t.name)],
);

export const memberships = sqliteTable(
  "memberships",
  {
    orgId: text("org_id").notNull(),
    userId: text("user_id").notNull(),
    role: text("role", { enum: ["owner", "admin", "member", "viewer", "custom"] }).notNull(),
    customRoleId: text("custom_role_id"),
    ...createdNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index("memberships_user").on(t.userId)],
);

export const invites = sqliteTable(
  "invites",
  {
    ...orgRow(),
    email: text("email").notNull(),
    role: text("role", { enum: ["owner", "admin", "member", "viewer", "custom"] }).notNull(),
    customRoleId: text("custom_role_id"),
    tokenHash: text("token_hash").notNull().unique(),
    createdBy: text("created_by").notNull(),
    expiresAt: integer("expires_at").notNull(),
    acceptedAt: integer("accepted_at"),
    acceptedBy: text("accepted_by"),
    revokedAt: integer("revoked_at"),
    ...createdNow(),
  },
  (t) => [index("invites_org").on(t.orgId, t.id)],
);

export const projects = sqliteTable(
  "projects",
  {
    ...orgRow(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    description: text("description"),
    ...timestampsNow(),
  },
  (t) => [uniqueIndex("projects_org_slug").on(t.orgId, t.slug)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    ...orgRow(),
    name: text("name").notNull(),
    /** First characters of the key, safe to display ("shf_3kT9…"). */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key, hex. The key itself is never stored. */
    keyHash: text("key_hash").notNull().unique(),
    permissions: text("permissions", { mode: "json" }).$type<string[]>().notNull(),
    createdBy: text("created_by").notNull(),
    expiresAt: integer("expires_at"),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
    /** Set on a key that was rotated: the id of its successor. */
    replacedBy: text("replaced_by"),
    ...createdNow(),
  },
  (t) => [index("api_keys_org").on(t.orgId, t.id)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    ...orgRow(),
    /** Position in the org's hash chain, 1-based and gap-free. */
    seq: integer("seq").notNull(),
    actorType: text("actor_type", { enum: ["user", "api_key", "system"] }).notNull(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    ...requestClient(),
    requestId: text("request_id"),
    changes: text("changes", { mode: "json" }).$type<Record<string, unknown>>(),
    ...createdAt(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [uniqueIndex("audit_org_seq").on(t.orgId, t.seq), index("audit_org_id").on(t.orgId, t.id)],
);

/** One row per cron job execution, idempotent on `runKey`: a job runs at most once per key. */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: text("id").primaryKey(),
    job: text("job").notNull(),
    orgId: text("org_id"),
    runKey: text("run_key").notNull().unique(),
    status: text("status", { enum: ["running", "succeeded", "failed", "skipped"] }).notNull(),
    counts: text("counts", { mode: "json" }).$type<Record<string, number>>(),
    error: text("error"),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("job_runs_job").on(t.job, t.startedAt)],
);
