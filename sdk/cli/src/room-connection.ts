// The recorder's side of a session's live room (docs/room-protocol.md): joins with a room token over
// Node's global WebSocket, sends frames at a pace under the room's rate limit, and counts a frame as
// delivered when the room broadcasts it back. After a dropped connection it rejoins with `since`, so
// frames the room stored are seen in the replay and only the others are sent again.
import type { ShiftyClient, StepFrame } from "@shifty/sdk";

type Pending = { key: string; frame: StepFrame; sent: boolean };

/** Stays well under the room's 20 frames/s per connection. */
const GAP_MS = 60;
/** Close codes after which rejoining cannot help (revoked, no such session, ended). */
const FINAL = new Set([1000, 4000, 4403, 4404, 4410]);

const keyOf = (action: unknown, at: unknown) => `${String(action)}|${String(at)}`;

export class RoomConnection {
  errors = 0;
  private socket: WebSocket | null = null;
  private pending: Pending[] = [];
  private lastSeq = 0;
  private closing = false;
  private ready = false;
  private pumping = false;
  private attempts = 0;
  private final: string | null = null;

  private readonly client: ShiftyClient;
  private readonly sessionId: string;
  private readonly log: (line: string) => void;

  constructor(client: ShiftyClient, sessionId: string, log: (line: string) => void) {
    this.client = client;
    this.sessionId = sessionId;
    this.log = log;
  }

  async open(): Promise<void> {
    const token = await this.client.createRoomToken(this.sessionId);
    const url = new URL(token.url, this.client.baseUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    if (this.lastSeq > 0) url.searchParams.set("since", String(this.lastSeq));
    const socket = new WebSocket(url);
    this.socket = socket;
    this.ready = false;
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener("open", () => resolve(), { once: true });
      socket.addEventListener("error", () => reject(new Error("could not join the session's room")), {
        once: true,
      });
    });
    this.attempts = 0;
    // Without `since` there is no replay to wait for; with it, presence marks the end of the replay.
    this.ready = this.lastSeq === 0;
    socket.addEventListener("message", (m) => this.receive(String(m.data)));
    socket.addEventListener("close", (e) => this.closed(e.code, e.reason));
  }

  send(frame: StepFrame) {
    this.pending.push({ key: keyOf(frame.action, frame.at), frame, sent: false });
    void this.pump();
  }

  /**
   * Resolves once the room has echoed every frame sent so far (or the connection is gone for good), at
   * most `timeoutMs`. What goes to the session over HTTP (a screenshot) waits for this, so the timeline
   * keeps the order things happened in: steps are paced, an upload is not.
   */
  async settled(timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.pending.length > 0 && !this.final && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Like `settled`, then counts and reports the frames the room never confirmed. */
  async drain(timeoutMs = 20_000): Promise<void> {
    await this.settled(timeoutMs);
    if (this.pending.length > 0) {
      this.errors += this.pending.length;
      this.log(
        `${this.pending.length} step(s) were not confirmed by the room${this.final ? `: ${this.final}` : ""}`,
      );
    }
  }

  close() {
    this.closing = true;
    this.socket?.close(1000);
  }

  private receive(text: string) {
    let frame: {
      type?: string;
      seq?: number;
      kind?: string;
      data?: Record<string, unknown>;
      code?: string;
      message?: string;
    };
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (frame.type === "event") {
      this.lastSeq = Math.max(this.lastSeq, frame.seq ?? 0);
      if (frame.kind !== "step") return;
      const key = keyOf(frame.data?.action, frame.data?.at);
      const i = this.pending.findIndex((p) => p.key === key);
      if (i >= 0) this.pending.splice(i, 1);
    } else if (frame.type === "presence") {
      // Presence follows the replay: what the replay did not confirm goes out again.
      this.ready = true;
      void this.pump();
    } else if (frame.type === "error") {
      // The room answers frames in order; a refusal is for the oldest frame still waiting.
      const i = this.pending.findIndex((p) => p.sent);
      const refused = i >= 0 ? this.pending.splice(i, 1)[0] : undefined;
      this.errors++;
      this.log(
        `the room refused ${refused ? `a ${refused.frame.action} step` : "a frame"}: ${frame.code} ${frame.message ?? ""}`,
      );
    } else if (frame.type === "ended") {
      this.final = "the session has ended";
    }
  }

  private async pump() {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const next = this.pending.find((p) => !p.sent);
        if (!next || !this.socket || this.socket.readyState !== WebSocket.OPEN || !this.ready) return;
        next.sent = true;
        this.socket.send(JSON.stringify(next.frame));
        await new Promise((r) => setTimeout(r, GAP_MS));
      }
    } finally {
      this.pumping = false;
    }
  }

  private closed(code: number, reason: string) {
    this.ready = false;
    if (this.closing) return;
    if (FINAL.has(code) || this.attempts >= 5) {
      this.final = `the room closed the connection (${code}${reason ? ` ${reason}` : ""})`;
      this.log(this.final);
      return;
    }
    this.attempts++;
    for (const p of this.pending) p.sent = false;
    setTimeout(() => {
      this.open().catch((error: unknown) => {
        this.log(`rejoining the room failed: ${error instanceof Error ? error.message : String(error)}`);
        this.closed(0, "");
      });
    }, 500 * this.attempts);
  }
}
