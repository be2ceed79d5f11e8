import {
  type ClientFrame,
  clientFrame,
  MAX_FRAME_BYTES,
  MESSAGE_BURST,
  MESSAGE_RATE_PER_SECOND,
  type RoomErrorCode,
} from "../../shared/contract/room.ts";
import { describeIssues } from "../../shared/sessions/room.ts";

export type FrameRefusal = { code: RoomErrorCode; message: string };

/** A client's text frame as a valid ClientFrame, or why it is refused (the connection stays open). */
export function parseFrame(
  message: string | ArrayBuffer,
): { frame: ClientFrame } | { refusal: FrameRefusal } {
  if (typeof message !== "string")
    return { refusal: { code: "unsupported_frame", message: "Send JSON text frames" } };
  // length is UTF-16 units; ×3 bounds the UTF-8 size without encoding every frame.
  if (message.length > MAX_FRAME_BYTES && new TextEncoder().encode(message).byteLength > MAX_FRAME_BYTES) {
    return { refusal: { code: "too_large", message: `Frames are limited to ${MAX_FRAME_BYTES} bytes` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { refusal: { code: "invalid_json", message: "The frame is not valid JSON" } };
  }
  const parsed = clientFrame.safeParse(json);
  if (!parsed.success)
    return { refusal: { code: "validation_failed", message: describeIssues(parsed.error) } };
  return { frame: parsed.data };
}

/**
 * Per-connection token buckets: BURST frames, refilled at RATE per second. In memory only, so a woken
 * room starts every socket with a full bucket.
 */
export class FrameBudget {
  private readonly buckets = new Map<WebSocket, { tokens: number; at: number }>();

  /** Takes one token for `ws`; false when its bucket is empty (the frame is refused). */
  take(ws: WebSocket, now = Date.now()): boolean {
    const b = this.buckets.get(ws) ?? { tokens: MESSAGE_BURST, at: now };
    b.tokens = Math.min(MESSAGE_BURST, b.tokens + ((now - b.at) / 1000) * MESSAGE_RATE_PER_SECOND);
    b.at = now;
    this.buckets.set(ws, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  forget(ws: WebSocket) {
    this.buckets.delete(ws);
  }
}

export const RATE_LIMITED: FrameRefusal = {
  code: "rate_limited",
  message: `At most ${MESSAGE_RATE_PER_SECOND} messages per second`,
};
