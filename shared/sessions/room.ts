import type { z } from "zod";
import {
  CLIENT_EVENT_TYPES,
  type ClientEventType,
  type EventMessage,
  type PresenceEntry,
  type RoomErrorCode,
  type RoomEvent,
  type RoomRole,
} from "../contract/room.ts";
import { ApiError, notFound } from "../errors.ts";

/** Which session a room is (set by the first call; every later call must agree). */
export type RoomInfo = { orgId: string; sessionId: string };

/** Who is acting: resolved by the Worker from an API credential or a verified room token. */
export type RoomActor = { id: string; type: "user" | "api_key"; name: string; role: RoomRole };

export type AppendResult =
  | { ok: true; event: RoomEvent }
  | { ok: false; code: RoomErrorCode; message: string };

/** What the Worker hands the room with a WebSocket upgrade (in ROOM_IDENTITY_HEADER). */
export type RoomJoin = RoomInfo & { actor: RoomActor; since: number | null };

/** Header the Worker uses to hand the verified identity to the room (the room is not reachable otherwise). */
export const ROOM_IDENTITY_HEADER = "x-shifty-room-identity";

/** The live room of one session, as the use cases see it (the Worker binds it to the Durable Object). */
export interface SessionRoomClient {
  /** The HTTP twin of a WebSocket message: same checks, same broadcast. */
  append(actor: RoomActor, message: unknown): Promise<AppendResult>;
  /** A room-written event (kind "screenshot"), which clients cannot send. */
  appendScreenshot(actor: RoomActor, data: Record<string, unknown>): Promise<AppendResult>;
  /** Sends `{type:"ended"}` and closes every socket. Idempotent. */
  end(): Promise<void>;
  /** Who is connected right now. */
  online(): Promise<PresenceEntry[]>;
  /** Hands a verified WebSocket upgrade to the room; the response carries the client socket. */
  join(join: Omit<RoomJoin, keyof RoomInfo>): Promise<Response>;
}

/** Finds the room of a session: one room per session id. */
export type RoomDirectory = (session: { id: string; orgId: string }) => SessionRoomClient;

/** The room role of a caller: the session's creator hosts; sessions:write tests; others observe. */
export function roomRoleFor(
  session: { createdBy: string },
  caller: { actorId: string; permissions: ReadonlySet<string> },
): RoomRole {
  if (session.createdBy === caller.actorId) return "host";
  return caller.permissions.has("sessions:write") ? "tester" : "observer";
}

/** A room refusal as an API error (the status an HTTP caller sees). */
export function roomErrorToApi(code: RoomErrorCode, message: string): ApiError {
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

/** The stored event of a successful append, or the refusal as an API error. */
export function appendedOrThrow(result: AppendResult): RoomEvent {
  if (!result.ok) throw roomErrorToApi(result.code, result.message);
  return result.event;
}

/** Which roles may send which event types: observers watch, chat and answer prompts. */
export const ALLOWED_BY_ROLE: Record<RoomRole, ReadonlySet<ClientEventType>> = {
  host: new Set(CLIENT_EVENT_TYPES),
  tester: new Set(CLIENT_EVENT_TYPES),
  observer: new Set(["chat", "answer"]),
};

/** The data stored for a message: its fields without `type` (findings gain their `findingId`). */
export function eventData(message: EventMessage): Record<string, unknown> {
  const { type: _type, ...data } = message;
  return data;
}

/** Zod issues as one readable line for an error frame. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}
