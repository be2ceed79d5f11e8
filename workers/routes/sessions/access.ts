import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { RoomActor, RoomInfo, SessionRoom } from "../../../durable-objects/session-room.ts";
import type { Db } from "../../../shared/db/client.ts";
import { apiKeys, users } from "../../../shared/db/schema/tenancy.ts";
import type { RoomRole } from "../../../shared/sessions/protocol.ts";
import { findSession, type SessionRow } from "../../../shared/sessions/repository.ts";
import { ApiError, notFound } from "../../errors.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";

export const tags = ["Sessions"];

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
  .openapi("Session");

export const roomEventSchema = z
  .object({
    type: z.literal("event"),
    seq: z.number().int(),
    kind: z.enum(["step", "note", "finding", "chat", "prompt", "answer", "screenshot"]),
    actor: z.object({ id: z.string(), name: z.string() }),
    at: z.number().int(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi("RoomEvent");

export function toSession(row: SessionRow): z.infer<typeof sessionSchema> {
  return {
    id: row.id,
    projectId: row.projectId,
    title: row.title,
    charter: row.charter,
    environment: row.environment,
    timeboxMinutes: row.timeboxMinutes,
    url: row.url,
    status: row.status,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    endedAt: row.endedAt,
    lastSeq: row.lastSeq,
  };
}

/** The org's session or a 404 (another org's id looks exactly like an unknown one). */
export async function requireSession(c: Context<HonoEnv>, sessionId: string): Promise<SessionRow> {
  const session = await findSession(c.get("services").db, orgIdOf(c), sessionId);
  if (!session) throw notFound("Session");
  return session;
}

export function requireActive(session: SessionRow) {
  if (session.status !== "active") throw new ApiError("conflict", "The session has ended");
}

/** The room of a session: one Durable Object per session id. */
export function roomOf(env: HonoEnv["Bindings"], session: { id: string; orgId: string }) {
  const stub: DurableObjectStub<SessionRoom> = env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(session.id));
  const info: RoomInfo = { orgId: session.orgId, sessionId: session.id };
  return { stub, info };
}

/** Display name of a user or API key (the name participants see). */
export async function actorName(db: Db, kind: "user" | "api_key", actorId: string): Promise<string> {
  if (kind === "user") {
    const rows = await db.select({ name: users.name }).from(users).where(eq(users.id, actorId)).limit(1);
    return rows[0]?.name ?? "Unknown user";
  }
  const rows = await db.select({ name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.id, actorId)).limit(1);
  return rows[0]?.name ?? "API key";
}

/** The room role of the caller: the session's creator hosts; sessions:write tests; others observe. */
export function roomRoleOf(c: Context<HonoEnv>, session: SessionRow): RoomRole {
  const principal = c.get("principal");
  if (session.createdBy === principal.actorId) return "host";
  return principal.permissions.has("sessions:write") ? "tester" : "observer";
}

export async function roomActorOf(c: Context<HonoEnv>, session: SessionRow): Promise<RoomActor> {
  const principal = c.get("principal");
  return {
    id: principal.actorId,
    type: principal.kind,
    name: await actorName(c.get("services").db, principal.kind, principal.actorId),
    role: roomRoleOf(c, session),
  };
}

/** Status of a room error code when it comes back over HTTP. */
export function roomErrorToApi(code: string, message: string): ApiError {
  switch (code) {
    case "validation_failed":
      return new ApiError("validation_failed", message);
    case "forbidden":
      return new ApiError("forbidden", message);
    case "unknown_prompt":
    case "unknown_step":
      return new ApiError("unprocessable", message);
    case "session_ended":
      return new ApiError("conflict", message);
    case "not_found":
      return notFound("Session");
    default:
      return new ApiError("bad_request", message);
  }
}
