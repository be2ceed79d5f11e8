import { describe, expect, it } from "vitest";
import { FrameBudget, parseFrame } from "../../durable-objects/session-room/frames.ts";
import { MAX_FRAME_BYTES, MESSAGE_BURST, MESSAGE_RATE_PER_SECOND } from "../../shared/contract/room.ts";
import { parseSince } from "../../shared/sessions/live.ts";
import { appendedOrThrow, roomErrorToApi, roomRoleFor } from "../../shared/sessions/room.ts";

describe("room roles", () => {
  const session = { createdBy: "usr_a" };
  it("the creator hosts, sessions:write tests, anyone else observes", () => {
    expect(roomRoleFor(session, { actorId: "usr_a", permissions: new Set() })).toBe("host");
    expect(roomRoleFor(session, { actorId: "usr_b", permissions: new Set(["sessions:write"]) })).toBe(
      "tester",
    );
    expect(roomRoleFor(session, { actorId: "usr_b", permissions: new Set(["sessions:read"]) })).toBe(
      "observer",
    );
  });
});

describe("room refusals over HTTP", () => {
  it("maps each room code to its API error code", () => {
    expect(roomErrorToApi("validation_failed", "x").code).toBe("validation_failed");
    expect(roomErrorToApi("forbidden", "x").code).toBe("forbidden");
    expect(roomErrorToApi("unknown_prompt", "x").code).toBe("unprocessable");
    expect(roomErrorToApi("unknown_step", "x").code).toBe("unprocessable");
    expect(roomErrorToApi("session_ended", "x").code).toBe("conflict");
    expect(roomErrorToApi("not_found", "x").message).toBe("Session not found");
    expect(roomErrorToApi("too_large", "x").code).toBe("bad_request");
  });

  it("returns the event of a successful append and throws the refusal otherwise", () => {
    const event = {
      type: "event",
      seq: 1,
      kind: "note",
      actor: { id: "a", name: "A" },
      at: 1,
      data: {},
    } as const;
    expect(appendedOrThrow({ ok: true, event })).toBe(event);
    expect(() => appendedOrThrow({ ok: false, code: "forbidden", message: "no" })).toThrow("no");
  });
});

describe("?since=", () => {
  it("absent is no replay, digits are a seq, anything else is invalid", () => {
    expect(parseSince(undefined)).toBeNull();
    expect(parseSince("0")).toBe(0);
    expect(parseSince("42")).toBe(42);
    for (const bad of ["", "-1", "1.5", "abc", "1".repeat(16)]) expect(parseSince(bad)).toBeNaN();
  });
});

describe("client frames", () => {
  it("accepts a valid JSON frame and names the reason for a refused one", () => {
    expect(parseFrame(JSON.stringify({ type: "note", text: "hi" }))).toEqual({
      frame: { type: "note", text: "hi" },
    });
    const code = (m: string | ArrayBuffer) => {
      const parsed = parseFrame(m);
      return "refusal" in parsed ? parsed.refusal.code : null;
    };
    expect(code(new ArrayBuffer(2))).toBe("unsupported_frame");
    expect(code("{")).toBe("invalid_json");
    expect(code(JSON.stringify({ type: "nope" }))).toBe("validation_failed");
    expect(code(JSON.stringify({ type: "note", text: "x".repeat(MAX_FRAME_BYTES) }))).toBe("too_large");
  });

  it("a connection gets a burst, then refills at the message rate", () => {
    const budget = new FrameBudget();
    const ws = {} as WebSocket;
    const t0 = 1_000_000;
    for (let i = 0; i < MESSAGE_BURST; i++) expect(budget.take(ws, t0)).toBe(true);
    expect(budget.take(ws, t0)).toBe(false);
    expect(budget.take(ws, t0 + 1000 / MESSAGE_RATE_PER_SECOND)).toBe(true);
    expect(budget.take(ws, t0 + 1000 / MESSAGE_RATE_PER_SECOND)).toBe(false);
    budget.forget(ws);
    expect(budget.take(ws, t0)).toBe(true);
  });
});
