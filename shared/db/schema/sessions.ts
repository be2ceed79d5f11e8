import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, orgRow, projectRow, projectSettingsRow, timestamps, timestampsNow } from "./columns.ts";

/** The columns of a row that belongs to one session and has no id of its own (its roster, its log). */
const sessionScoped = () => ({
  orgId: text("org_id").notNull(),
  sessionId: text("session_id").notNull(),
});

/** A manual exploratory-testing session (docs/sessions-api.md). The live room (SessionRoom DO) is its single writer. */
export const sessions = sqliteTable(
  "sessions",
  {
    ...projectRow(),
    title: text("title").notNull(),
    charter: text("charter").notNull(),
    environment: text("environment").notNull(),
    timeboxMinutes: integer("timebox_minutes").notNull(),
    url: text("url"),
    status: text("status", { enum: ["active", "ended"] })
      .notNull()
      .default("active"),
    createdBy: text("created_by").notNull(),
    ...timestampsNow(),
    endedAt: integer("ended_at"),
    /** Highest room seq mirrored into session_events. */
    lastSeq: integer("last_seq").notNull().default(0),
  },
  (t) => [
    index("sessions_org").on(t.orgId, t.id),
    index("sessions_org_project").on(t.orgId, t.projectId, t.id),
  ],
);

/** Who took part: one row per actor (user or API key), upserted on every connect or HTTP post. */
export const sessionParticipants = sqliteTable(
  "session_participants",
  {
    ...sessionScoped(),
    actorId: text("actor_id").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ["host", "tester", "observer"] }).notNull(),
    firstSeenAt: integer("first_seen_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.actorId] }), index("session_participants_org").on(t.orgId)],
);

/** D1 mirror of the room's event log (the room's own SQLite is the source of truth for replay). */
export const sessionEvents = sqliteTable(
  "session_events",
  {
    ...sessionScoped(),
    seq: integer("seq").notNull(),
    kind: text("kind").notNull(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    at: integer("at").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.seq] }),
    index("session_events_org").on(t.orgId, t.sessionId),
  ],
);

export const sessionFindings = sqliteTable(
  "session_findings",
  {
    ...orgRow(),
    sessionId: text("session_id").notNull(),
    seq: integer("seq").notNull(),
    severity: text("severity", { enum: ["critical", "major", "minor", "trivial"] }).notNull(),
    title: text("title").notNull(),
    description: text("description"),
    stepSeqs: text("step_seqs", { mode: "json" }).$type<number[]>().notNull(),
    createdBy: text("created_by").notNull(),
    ...createdAt(),
    jiraIssueKey: text("jira_issue_key"),
    jiraUrl: text("jira_url"),
  },
  (t) => [
    index("session_findings_org_session").on(t.orgId, t.sessionId, t.id),
    index("session_findings_created").on(t.createdAt),
    uniqueIndex("session_findings_session_seq").on(t.sessionId, t.seq),
  ],
);

export const sessionScreenshots = sqliteTable(
  "session_screenshots",
  {
    ...orgRow(),
    sessionId: text("session_id").notNull(),
    r2Key: text("r2_key").notNull(),
    contentType: text("content_type", { enum: ["image/png", "image/jpeg"] }).notNull(),
    size: integer("size").notNull(),
    createdBy: text("created_by").notNull(),
    ...createdAt(),
  },
  (t) => [index("session_screenshots_org_session").on(t.orgId, t.sessionId, t.id)],
);

/** Jira Cloud settings per project; the API token is sealed with encryptSecret (context = project id). */
export const jiraIntegrations = sqliteTable(
  "jira_integrations",
  {
    ...projectSettingsRow(),
    host: text("host").notNull(),
    email: text("email").notNull(),
    apiTokenSealed: text("api_token_sealed").notNull(),
    projectKey: text("project_key").notNull(),
    issueType: text("issue_type").notNull(),
    ...timestamps(),
  },
  (t) => [index("jira_integrations_org").on(t.orgId)],
);
