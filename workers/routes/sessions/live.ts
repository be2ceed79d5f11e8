import { z } from "@hono/zod-openapi";
import { ROOM_IDENTITY_HEADER } from "../../../durable-objects/session-room.ts";
import { CLOSE_CODES, type RoomErrorCode, type RoomFrame } from "../../../shared/sessions/protocol.ts";
import { findSession, upsertParticipant } from "../../../shared/sessions/repository.ts";
import { issueRoomToken, verifyRoomToken } from "../../../shared/sessions/room-token.ts";
import { ApiError, type ErrorCode, validationError } from "../../errors.ts";
import { jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { requireActive, requireSession, roomActorOf, roomOf, tags } from "./access.ts";
import { sessionParams } from "./sessions.ts";

const tokenBody = z.strictObject({
  /** Join as an observer even when allowed to test (e.g. a read-only screen share). */
  role: z.enum(["observer"]).optional(),
});

const tokenSchema = z
  .object({ token: z.string(), expiresAt: z.number().int(), url: z.string(), role: z.string() })
  .openapi("RoomToken");

const SESSION_ID = /^ses_[0-9a-z]{26}$/;

export function registerSessionLiveRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/sessions/{sessionId}/token",
      errors: [409],
      tags,
      summary: "Mint a short-lived (5 min) room token for the WebSocket",
      permission: "sessions:read",
      description:
        'Optional JSON body `{"role":"observer"}` joins read-only. An empty body (with or without ' +
        "Content-Type: application/json) is fine.",
      request: { params: sessionParams },
      responses: {
        201: jsonContent(tokenSchema, "A room token"),
      },
    }),
    async (c) => {
      const { sessionId } = c.req.valid("param");
      const body = await optionalBody(c.req.raw);
      const session = await requireSession(c, sessionId);
      requireActive(session);
      const actor = await roomActorOf(c, session);
      const role = body.role ?? actor.role;
      const { config } = c.get("services");
      const { token, expiresAt } = await issueRoomToken(
        { secret: config.jwtSecret, issuer: config.jwtIssuer },
        { sessionId, orgId: session.orgId, actorId: actor.id, actorType: actor.type, name: actor.name, role },
      );
      return c.json(
        { token, expiresAt, role, url: `/v1/sessions/${sessionId}/live?token=${encodeURIComponent(token)}` },
        201,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/sessions/{sessionId}/live",
      access: "public",
      errors: [400, 401, 404, 410],
      tags,
      summary: "Join the live room (WebSocket; see docs/room-protocol.md)",
      description:
        "Authorised by the room token, not by headers. With `Upgrade: websocket` a refused connection is " +
        'accepted, sent one `{type:"error"}` frame and closed with 4401 (token), 4404 (session), 4410 (ended) or ' +
        "4400 (bad query). Without an upgrade the same refusals are problem+json.",
      request: {
        params: z.object({ sessionId: z.string().openapi({ param: { name: "sessionId", in: "path" } }) }),
        query: z.object({ token: z.string().optional(), since: z.string().optional() }),
      },
      responses: {
        101: { description: "Switching protocols: the room's WebSocket" },
      },
    }),
    async (c) => {
      const upgrade = c.req.header("upgrade")?.toLowerCase() === "websocket";
      const refuse = (
        code: RoomErrorCode,
        apiCode: ErrorCode,
        message: string,
        closeCode: number,
      ): Response => {
        if (!upgrade) throw new ApiError(apiCode, message);
        return refusedSocket(code, message, closeCode);
      };
      const sessionId = c.req.param("sessionId");
      const { token, since: sinceRaw } = c.req.valid("query");
      if (!SESSION_ID.test(sessionId))
        return refuse("not_found", "not_found", "Session not found", CLOSE_CODES.notFound);
      if (!token)
        return refuse(
          "unauthenticated",
          "unauthenticated",
          "Pass ?token= (POST …/token)",
          CLOSE_CODES.unauthenticated,
        );
      let since: number | null = null;
      if (sinceRaw !== undefined) {
        since = /^\d{1,15}$/.test(sinceRaw) ? Number(sinceRaw) : Number.NaN;
        if (Number.isNaN(since)) {
          return refuse(
            "bad_request",
            "bad_request",
            "since must be a non-negative integer",
            CLOSE_CODES.badRequest,
          );
        }
      }
      const { config, db } = c.get("services");
      const identity = await verifyRoomToken(
        { secret: config.jwtSecret, issuer: config.jwtIssuer },
        token,
        sessionId,
      );
      if (!identity) {
        return refuse(
          "unauthenticated",
          "unauthenticated",
          "The room token is invalid or expired",
          CLOSE_CODES.unauthenticated,
        );
      }
      c.set("logOrgId", identity.orgId);
      const session = await findSession(db, identity.orgId, sessionId);
      if (!session) return refuse("not_found", "not_found", "Session not found", CLOSE_CODES.notFound);
      if (session.status !== "active")
        return refuse("session_ended", "gone", "The session has ended", CLOSE_CODES.gone);
      if (!upgrade) throw new ApiError("bad_request", "Connect with a WebSocket (Upgrade: websocket)");

      await upsertParticipant(db, session.orgId, session.id, {
        actorId: identity.actorId,
        name: identity.name,
        role: identity.role,
      });
      const { stub, info } = roomOf(c.env, session);
      const res = await stub.fetch(
        new Request("https://room.internal/live", {
          headers: {
            upgrade: "websocket",
            [ROOM_IDENTITY_HEADER]: JSON.stringify({
              ...info,
              since,
              actor: {
                id: identity.actorId,
                type: identity.actorType,
                name: identity.name,
                role: identity.role,
              },
            }),
          },
        }),
      );
      // A response from a stub has immutable headers; the middleware chain adds its own.
      return new Response(null, { status: res.status, webSocket: res.webSocket });
    },
  );
}

/** The optional token body: empty means `{}`; anything else must match tokenBody (else 400). */
async function optionalBody(request: Request): Promise<z.infer<typeof tokenBody>> {
  const raw = (await request.text()).trim();
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ApiError("malformed_json", "The request body is not valid JSON");
  }
  const parsed = tokenBody.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error, "body");
  return parsed.data;
}

/** A refused upgrade the client can see: accept, send one error frame, close with a 4xxx code. */
function refusedSocket(code: RoomErrorCode, message: string, closeCode: number): Response {
  const pair = new WebSocketPair();
  const server = pair[1];
  server.accept();
  server.send(JSON.stringify({ type: "error", code, message } satisfies RoomFrame));
  server.close(closeCode, message.slice(0, 120));
  return new Response(null, { status: 101, webSocket: pair[0] });
}
