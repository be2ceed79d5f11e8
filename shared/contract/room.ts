import { z } from "zod";

/**
 * The live-room protocol (docs/room-protocol.md): what clients may send, what the room
 * broadcasts. Shared by the SessionRoom Durable Object, the HTTP twin of a message and the dashboard.
 */

/** A frame larger than this is refused with an error frame (the connection stays open). */
export const MAX_FRAME_BYTES = 16 * 1024;
/** Per-connection message budget: a bucket of BURST refilled at RATE per second. */
export const MESSAGE_RATE_PER_SECOND = 20;
export const MESSAGE_BURST = 40;

export const SEVERITIES = ["critical", "major", "minor", "trivial"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ROOM_ROLES = ["host", "tester", "observer"] as const;
export type RoomRole = (typeof ROOM_ROLES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

/** ElementDescriptor-like (the locator description the SDK records): every field optional, unknown attributes kept as strings. */
const elementDescriptor = z.object({
  tag: z.string().max(64).optional(),
  attributes: z.record(z.string().max(256), z.string().max(2048)).optional(),
  text: z.string().max(2048).optional(),
  xpath: z.string().max(2048).optional(),
  idXpath: z.string().max(2048).optional(),
  rect: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).optional(),
  neighborText: z.record(z.enum(["above", "below", "left", "right"]), z.string().max(512)).optional(),
  role: z.string().max(64).optional(),
  accessibleName: z.string().max(512).optional(),
  /** User-facing handles the recorder (`shifty record`) captures; test generation prefers them. */
  label: z.string().max(512).optional(),
  placeholder: z.string().max(512).optional(),
  testId: z.string().max(256).optional(),
  selector: z.string().max(2048).optional(),
});

export const stepMessage = z.strictObject({
  type: z.literal("step"),
  action: text(64),
  /** A CSS selector, or an ElementDescriptor-like object. */
  target: z.union([z.string().max(2048), elementDescriptor]).optional(),
  value: z.string().max(4096).optional(),
  url: z.string().max(2048).optional(),
  /** Client clock (ms) when the step happened; the room stamps its own `at` too. */
  at: z.number().int().nonnegative().optional(),
});
export const noteMessage = z.strictObject({ type: z.literal("note"), text: text(8000) });
export const findingMessage = z.strictObject({
  type: z.literal("finding"),
  severity: z.enum(SEVERITIES),
  title: text(200),
  description: z.string().max(8000).optional(),
  stepSeqs: z.array(z.number().int().positive()).max(100).optional(),
});
export const chatMessage = z.strictObject({ type: z.literal("chat"), text: text(4000) });
export const promptMessage = z.strictObject({
  type: z.literal("prompt"),
  question: text(2000),
  toRole: z.enum(ROOM_ROLES).optional(),
});
export const answerMessage = z.strictObject({
  type: z.literal("answer"),
  promptSeq: z.number().int().positive(),
  text: text(4000),
});

/** Messages that become timeline events. */
export const eventMessage = z.discriminatedUnion("type", [
  stepMessage,
  noteMessage,
  findingMessage,
  chatMessage,
  promptMessage,
  answerMessage,
]);
export type EventMessage = z.infer<typeof eventMessage>;
export type ClientEventType = EventMessage["type"];
export const CLIENT_EVENT_TYPES = ["step", "note", "finding", "chat", "prompt", "answer"] as const;

export const presenceMessage = z.strictObject({
  type: z.literal("presence"),
  focus: z.string().max(256).optional(),
});

export const clientFrame = z.discriminatedUnion("type", [...eventMessage.options, presenceMessage]);
export type ClientFrame = z.infer<typeof clientFrame>;

/** Room-only kinds: clients never send these, the room writes them (e.g. on a screenshot upload). */
export type RoomEventKind = ClientEventType | "screenshot";

export type Actor = { id: string; name: string };

export type RoomEvent = {
  type: "event";
  seq: number;
  kind: RoomEventKind;
  actor: Actor;
  at: number;
  data: Record<string, unknown>;
};

export type PresenceEntry = { id: string; name: string; role: RoomRole; focus?: string };

export type RoomFrame =
  | RoomEvent
  | { type: "presence"; participants: PresenceEntry[] }
  | { type: "error"; code: RoomErrorCode; message: string }
  | { type: "ended" };

export type RoomErrorCode =
  | "invalid_json"
  | "validation_failed"
  | "too_large"
  | "unsupported_frame"
  | "rate_limited"
  | "forbidden"
  | "unknown_prompt"
  | "unknown_step"
  | "session_ended"
  | "unauthenticated"
  | "not_found"
  | "bad_request";

/** WebSocket close codes the room uses (4000–4999 are application-defined). */
export const CLOSE_CODES = {
  ended: 4000,
  badRequest: 4400,
  unauthenticated: 4401,
  /** The member was removed or the key revoked while connected (or the token outlived them). */
  revoked: 4403,
  notFound: 4404,
  gone: 4410,
} as const;
