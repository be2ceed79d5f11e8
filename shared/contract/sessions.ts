import { z } from "zod";
import { JIRA_HOST_PATTERN } from "../jira/client.ts";
import { checkOutboundHost } from "../net/outbound-url.ts";
import { pageQuerySchema } from "../pagination.ts";
import { firstLastSeen, maskedSecret } from "./common.ts";

/**
 * The manual-session API contract: request and response bodies of sessions, the room's REST twin,
 * screenshots, Jira export and session export (docs/sessions-api.md). The WebSocket frames themselves
 * are in shared/contract/room.ts (docs/room-protocol.md).
 */

const timebox = z
  .number()
  .int()
  .min(1)
  .max(24 * 60);

export const sessionSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    title: z.string(),
    charter: z.string(),
    environment: z.string(),
    timeboxMinutes: z.number().int(),
    url: z.string().nullable(),
    status: z.enum(["active", "ended"]),
    createdBy: z.string(),
    createdAt: z.number().int(),
    endedAt: z.number().int().nullable(),
    lastSeq: z.number().int(),
  })
  .meta({ id: "Session" });
export type Session = z.infer<typeof sessionSchema>;

export const createSessionSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  charter: z.string().trim().min(1).max(4000),
  environment: z.string().trim().min(1).max(200),
  timeboxMinutes: timebox,
  url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
});
export type NewSession = z.input<typeof createSessionSchema>;

export const updateSessionSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    charter: z.string().trim().min(1).max(4000).optional(),
    timeboxMinutes: timebox.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { error: "Send at least one of title, charter, timeboxMinutes" });
export type SessionPatch = z.infer<typeof updateSessionSchema>;

export const sessionListQuery = pageQuerySchema.extend({ status: z.enum(["active", "ended"]).optional() });
export type SessionListQuery = z.infer<typeof sessionListQuery>;

/** A stored timeline event, as the room broadcasts it and as `GET …/events` returns it. */
export const roomEventSchema = z
  .object({
    type: z.literal("event"),
    seq: z.number().int(),
    kind: z.enum(["step", "note", "finding", "chat", "prompt", "answer", "screenshot"]),
    actor: z.object({ id: z.string(), name: z.string() }),
    at: z.number().int(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "RoomEvent" });
export type RoomEventBody = z.infer<typeof roomEventSchema>;

export const eventsQuery = z.object({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const eventsPageSchema = z.object({ items: z.array(roomEventSchema), nextSince: z.number().int() });
export type EventsPage = z.infer<typeof eventsPageSchema>;

export const participantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(["host", "tester", "observer"]),
    online: z.boolean(),
    focus: z.string().nullable(),
    ...firstLastSeen,
  })
  .meta({ id: "SessionParticipant" });
export type SessionParticipant = z.infer<typeof participantSchema>;

export const participantListSchema = z.object({ items: z.array(participantSchema) });

/** `POST …/token` body; optional: joining as an observer even when allowed to test (a read-only share). */
export const roomTokenRequest = z.strictObject({ role: z.enum(["observer"]).optional() });
export type RoomTokenRequest = z.infer<typeof roomTokenRequest>;

export const roomTokenSchema = z
  .object({ token: z.string(), expiresAt: z.number().int(), url: z.string(), role: z.string() })
  .meta({ id: "RoomToken" });
export type RoomToken = z.infer<typeof roomTokenSchema>;

export const liveQuery = z.object({ token: z.string().optional(), since: z.string().optional() });

export const screenshotSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    contentType: z.enum(["image/png", "image/jpeg"]),
    size: z.number().int(),
    seq: z.number().int(),
  })
  .meta({ id: "Screenshot" });
export type Screenshot = z.infer<typeof screenshotSchema>;

export const screenshotQuery = z.object({ caption: z.string().trim().min(1).max(500).optional() });

export const exportQuery = z.object({ format: z.enum(["md", "json"]).default("json") });
export type ExportFormat = z.infer<typeof exportQuery>["format"];

/** Accepts `acme.atlassian.net` or `https://acme.atlassian.net/`; stores the bare host. */
const jiraHost = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .trim()
          .toLowerCase()
          .replace(/^https:\/\//, "")
          .replace(/\/+$/, "")
      : v,
  z
    .string()
    .regex(JIRA_HOST_PATTERN, { error: "must be a Jira Cloud host such as acme.atlassian.net" })
    .refine((host) => checkOutboundHost(host).ok, { error: "must be a public host (not an internal name)" }),
);

export const jiraSettingsBody = z.strictObject({
  host: jiraHost,
  email: z.email().max(254),
  apiToken: z.string().trim().min(8).max(2048),
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, { error: "must be a Jira project key such as QA" }),
  issueType: z.string().trim().min(1).max(64).optional(),
});
export type JiraSettingsInput = z.infer<typeof jiraSettingsBody>;

export const jiraSettingsSchema = z
  .object({
    projectId: z.string(),
    host: z.string(),
    email: z.string(),
    apiToken: maskedSecret,
    projectKey: z.string(),
    issueType: z.string(),
    updatedAt: z.number().int(),
  })
  .meta({ id: "JiraSettings" });
export type JiraSettings = z.infer<typeof jiraSettingsSchema>;

export const jiraIssueRefSchema = z
  .object({ issueKey: z.string(), url: z.string() })
  .meta({ id: "JiraIssueRef" });
export type JiraIssueRef = z.infer<typeof jiraIssueRefSchema>;
