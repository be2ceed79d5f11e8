import { exports } from "cloudflare:workers";
import { api, type Tenant } from "../helpers.ts";

// biome-ignore lint/suspicious/noExplicitAny: frames are JSON under test
export type Frame = Record<string, any>;

/** A test WebSocket client: collects frames, waits for the next one matching a predicate. */
export class RoomClient {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | null = null;
  private cursor = 0;
  private wake: (() => void) | null = null;

  readonly ws: WebSocket;

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener("message", (e) => {
      this.frames.push(JSON.parse(String(e.data)) as Frame);
      this.wake?.();
    });
    ws.addEventListener("close", (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.wake?.();
    });
    ws.accept();
  }

  send(frame: unknown) {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The next unread frame matching `match` (frames before it are skipped), or a timeout error. */
  async next(match: (f: Frame) => boolean = () => true, timeoutMs = 3000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const f = this.frames[this.cursor++]!;
        if (match(f)) return f;
      }
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) before a matching frame`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          this.wake = null;
          resolve();
        };
      });
    }
  }

  nextEvent(timeoutMs?: number) {
    return this.next((f) => f.type === "event", timeoutMs);
  }

  nextError(timeoutMs?: number) {
    return this.next((f) => f.type === "error", timeoutMs);
  }

  /** Polls until the socket is closed (never a blind sleep). */
  async waitClosed(timeoutMs = 3000) {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error("socket did not close");
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 20);
        this.wake = () => {
          clearTimeout(t);
          this.wake = null;
          resolve();
        };
      });
    }
    return this.closed;
  }

  close() {
    try {
      this.ws.close(1000, "bye");
    } catch {
      // already closed
    }
  }
}

export async function upgrade(path: string): Promise<Response> {
  return exports.default.fetch(
    new Request(`http://shifty.test${path}`, { headers: { Upgrade: "websocket" } }),
  );
}

export async function connect(path: string): Promise<RoomClient> {
  const res = await upgrade(path);
  if (res.status !== 101 || !res.webSocket)
    throw new Error(`upgrade failed: ${res.status} ${await res.text()}`);
  return new RoomClient(res.webSocket);
}

export type SessionOut = {
  id: string;
  projectId: string;
  title: string;
  charter: string;
  status: string;
  lastSeq: number;
  createdBy: string;
};

export async function newSession(t: Tenant, overrides: Record<string, unknown> = {}): Promise<SessionOut> {
  const res = await api(`/v1/projects/${t.projectId}/sessions`, {
    method: "POST",
    token: t.apiKey,
    json: {
      title: "Checkout exploration",
      charter: "Explore checkout with expired cards",
      environment: "staging",
      timeboxMinutes: 45,
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`create session: ${res.status} ${await res.text()}`);
  return (await res.json()) as SessionOut;
}

/** POST /v1/sessions/{id}/token as the holder of `token`, with whatever else `init` adds (body, headers). */
export const postRoomToken = (token: string, sessionId: string, init: Parameters<typeof api>[1] = {}) =>
  api(`/v1/sessions/${sessionId}/token`, { method: "POST", token, ...init });

export async function roomToken(token: string, sessionId: string, body?: unknown) {
  const res = await postRoomToken(token, sessionId, body ? { json: body } : {});
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; url: string; expiresAt: number; role: string };
}

/** Polls GET …/events until the D1 mirror holds at least `count` events. */
export async function mirroredEvents(t: Tenant, sessionId: string, count: number, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(`/v1/sessions/${sessionId}/events?limit=500`, { token: t.apiKey });
    const body = (await res.json()) as { items: Frame[]; nextSince: number };
    if (body.items.length >= count) return body;
    if (Date.now() > deadline) throw new Error(`mirror has ${body.items.length}/${count} events`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** POST /v1/sessions/{id}/screenshots: `body` sent as `type`, with an optional `query` (a caption). */
export function uploadScreenshot(
  sessionId: string,
  token: string,
  body: BodyInit,
  type = "image/png",
  query = "",
) {
  return api(`/v1/sessions/${sessionId}/screenshots${query}`, {
    method: "POST",
    token,
    body,
    headers: { "content-type": type },
  });
}

/** POST /v1/sessions/{id}/events: adds `event` to the session's timeline as the holder of `token`. */
export const postEvent = (token: string, sessionId: string, event: unknown) =>
  api(`/v1/sessions/${sessionId}/events`, { method: "POST", token, json: event });
