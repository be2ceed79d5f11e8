/**
 * Manual-session shapes the CLI's recorder and `generate --session` use, written to match the API's
 * OpenAPI document (docs/sessions-api.md, docs/room-protocol.md; the server's zod contracts are
 * shared/contract/sessions.ts and shared/contract/room.ts).
 */
export type RoomToken = {
  token: string;
  expiresAt: number;
  role: "host" | "tester" | "observer";
  /** `/v1/sessions/{id}/live?token=…`: open it as a WebSocket on the API's origin. */
  url: string;
};

/** What a recorded step points at: user-facing handles first, a CSS selector as the fallback. */
export type StepTarget = {
  tag?: string;
  role?: string;
  accessibleName?: string;
  label?: string;
  placeholder?: string;
  testId?: string;
  text?: string;
  selector?: string;
};

export type StepFrame = {
  type: "step";
  action: string;
  target?: string | StepTarget;
  value?: string;
  url?: string;
  at?: number;
};

export type SessionEvent = {
  type: "event";
  seq: number;
  kind: "step" | "note" | "finding" | "chat" | "prompt" | "answer" | "screenshot";
  actor: { id: string; name: string };
  at: number;
  data: Record<string, unknown>;
};

export type SessionEventsPage = { items: SessionEvent[]; nextSince: number };

export type SessionScreenshot = {
  id: string;
  url: string;
  contentType: "image/png" | "image/jpeg";
  size: number;
  seq: number;
};
