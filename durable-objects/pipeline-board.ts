import { DurableObject } from "cloudflare:workers";
import type { BoardFrame } from "../shared/contract/pipeline.ts";

/** The board needs no bindings: it only fans frames out to the sockets of one organisation. */
export type PipelineBoardEnv = Record<string, never>;

/** Largest number of frames one notify call may carry (a stage batch is at most 100 leads). */
const MAX_FRAMES = 500;

/**
 * One live pipeline board per organisation (docs/pipeline.md, "Live board"). Sockets are accepted with
 * the Hibernation API, so an idle board costs nothing; stages and overrides POST frames to `/notify`
 * and every connected viewer receives them. The board keeps no state: a viewer loads the snapshot from
 * `GET /v1/pipeline/board` and applies frames on top.
 */
export class PipelineBoard extends DurableObject<PipelineBoardEnv> {
  constructor(ctx: DurableObjectState, env: PipelineBoardEnv) {
    super(ctx, env);
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/live" && request.headers.get("upgrade")?.toLowerCase() === "websocket") {
      const pair = new WebSocketPair();
      this.ctx.acceptWebSocket(pair[1]);
      pair[1].send(JSON.stringify({ type: "hello", viewers: this.ctx.getWebSockets().length }));
      return new Response(null, { status: 101, webSocket: pair[0] });
    }
    if (url.pathname === "/notify" && request.method === "POST") {
      const frames = ((await request.json()) as BoardFrame[]).slice(0, MAX_FRAMES);
      this.broadcast(frames);
      return new Response(null, { status: 204 });
    }
    return new Response("not found", { status: 404 });
  }

  /** Several frames go out as one JSON array message, so a batch of 100 moves is one send per viewer. */
  broadcast(frames: BoardFrame[]) {
    if (frames.length === 0) return;
    const text = JSON.stringify({ type: "frames", frames });
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(text);
      } catch {
        // A socket closing under us; the runtime drops it.
      }
    }
  }

  override async webSocketMessage(_socket: WebSocket, _message: string | ArrayBuffer) {
    // Viewers only listen; anything but the auto-answered ping is ignored.
  }

  override async webSocketClose(socket: WebSocket, code: number) {
    try {
      socket.close(code === 1005 ? 1000 : code, "bye");
    } catch {
      // already closed
    }
  }
}
