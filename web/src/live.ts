// Client side of the room protocol (docs/room-protocol.md): one WebSocket per open room, reconnecting after a drop
// with `&since=<last seq>` so the room replays exactly what this tab missed. Each (re)connect asks for a
// fresh room token, because room tokens are short-lived.

import type {
  ClientFrame,
  PresenceEntry,
  RoomFrame,
  RoomRole,
  Severity,
} from "../../shared/contract/room.ts";
import type { RoomEventBody } from "../../shared/contract/sessions.ts";

/** A stored timeline event, as the room broadcasts it (the API's RoomEvent). */
export type RoomEvent = RoomEventBody;
/** Someone connected right now (several tabs of one user are one entry). */
export type Participant = PresenceEntry;
/** What the room sends: events, presence, errors and the end of the session. */
export type ServerFrame = RoomFrame;
export type { ClientFrame, RoomRole, Severity };

export type ConnectionState = "connecting" | "open" | "reconnecting" | "ended" | "failed";

type Handlers = {
  onEvent: (event: RoomEvent) => void;
  onPresence: (participants: Participant[]) => void;
  onError: (code: string, message: string) => void;
  onState: (state: ConnectionState) => void;
};

const MAX_BACKOFF_MS = 10_000;
const MAX_FAILED_ATTEMPTS = 8;

export class RoomConnection {
  private socket: WebSocket | null = null;
  private lastSeq = 0;
  private attempts = 0;
  private closedByUs = false;
  private ended = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly outbox: ClientFrame[] = [];
  private readonly ticket: () => Promise<{ url: string }>;
  private readonly handlers: Handlers;

  constructor(ticket: () => Promise<{ url: string }>, handlers: Handlers) {
    this.ticket = ticket;
    this.handlers = handlers;
  }

  /** The highest seq seen: what a reconnect asks the room to replay after. */
  get since(): number {
    return this.lastSeq;
  }

  async open(): Promise<void> {
    this.handlers.onState(this.attempts === 0 ? "connecting" : "reconnecting");
    let url: string;
    try {
      url = (await this.ticket()).url;
    } catch (error) {
      this.handlers.onError("token", error instanceof Error ? error.message : "Could not join the room");
      return this.scheduleRetry();
    }
    if (this.closedByUs) return;
    const target = new URL(url, location.origin);
    target.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    // since=0 on the first connect asks for the whole history; later, only what this tab missed.
    target.searchParams.set("since", String(this.lastSeq));
    const socket = new WebSocket(target.toString());
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempts = 0;
      this.handlers.onState("open");
      for (const frame of this.outbox.splice(0)) socket.send(JSON.stringify(frame));
    });
    socket.addEventListener("message", (message) => this.receive(message.data));
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.ended || this.closedByUs) return;
      this.scheduleRetry();
    });
  }

  /** Queued while (re)connecting, so nothing typed during a drop is lost. */
  send(frame: ClientFrame) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
    else this.outbox.push(frame);
  }

  close() {
    this.closedByUs = true;
    clearTimeout(this.retryTimer);
    this.socket?.close(1000, "left");
    this.socket = null;
  }

  private receive(raw: unknown) {
    if (typeof raw !== "string") return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(raw) as ServerFrame;
    } catch {
      return;
    }
    switch (frame.type) {
      case "event":
        if (frame.seq > this.lastSeq) this.lastSeq = frame.seq;
        this.handlers.onEvent(frame);
        break;
      case "presence":
        this.handlers.onPresence(frame.participants);
        break;
      case "error":
        this.handlers.onError(frame.code, frame.message);
        break;
      case "ended":
        this.ended = true;
        this.handlers.onState("ended");
        break;
    }
  }

  private scheduleRetry() {
    if (this.closedByUs || this.ended) return;
    this.attempts += 1;
    if (this.attempts > MAX_FAILED_ATTEMPTS) {
      this.handlers.onState("failed");
      return;
    }
    this.handlers.onState("reconnecting");
    // Exponential backoff with jitter, so a room restart is not met by every client at the same instant.
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    this.retryTimer = setTimeout(() => void this.open(), delay);
  }
}
