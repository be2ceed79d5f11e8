import { z } from "@hono/zod-openapi";
import type { RoomFrame } from "../../../shared/contract/room.ts";
import { liveQuery, roomTokenRequest, roomTokenSchema } from "../../../shared/contract/sessions.ts";
import { admitToRoom, joinAs, mintRoomToken, type Refusal } from "../../../shared/sessions/live.ts";
import type { RoomTokenSettings } from "../../../shared/sessions/room-token.ts";
import { requireActiveSession } from "../../../shared/sessions/service.ts";
import { ApiError } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonContent, type Router } from "../../openapi.ts";
import { optionalJsonBody } from "../../optional-body.ts";
import { routeGroup } from "../../route.ts";
import { sessionParams, tags } from "./params.ts";
import { roomActorOf, roomsOf } from "./room-access.ts";

const sessions = routeGroup({ tags });

const tokenRoute = sessions.post("/sessions/{sessionId}/token", {
  errors: [409],
  summary: "Mint a short-lived (5 min) room token for the WebSocket",
  permission: "sessions:read",
  description:
    'Optional JSON body `{"role":"observer"}` joins read-only. An empty body (with or without ' +
    "Content-Type: application/json) is fine.",
  request: { params: sessionParams },
  responses: { 201: jsonContent(roomTokenSchema, "A room token") },
});

sessions.handle(tokenRoute, async function tokenHandler(c) {
  const { sessionId } = c.req.valid("param");
  const body = await optionalJsonBody(c.req.raw, roomTokenRequest);
  const session = await requireActiveSession(c.get("services").db, orgIdOf(c), sessionId);
  const actor = await roomActorOf(c, session);
  const minted = await mintRoomToken(tokenSettings(c.get("services").config), session, actor, body.role);
  return c.json(
    { ...minted, url: `/v1/sessions/${sessionId}/live?token=${encodeURIComponent(minted.token)}` },
    201,
  );
});

const liveRoute = sessions.get("/sessions/{sessionId}/live", {
  access: "public",
  errors: [400, 401, 404, 410],
  summary: "Join the live room (WebSocket; see docs/room-protocol.md)",
  description:
    "Authorised by the room token, not by headers. With `Upgrade: websocket` a refused connection is " +
    'accepted, sent one `{type:"error"}` frame and closed with 4401 (token), 4404 (session), 4410 (ended) or ' +
    "4400 (bad query). Without an upgrade the same refusals are problem+json.",
  request: {
    params: z.object({ sessionId: z.string().openapi({ param: { name: "sessionId", in: "path" } }) }),
    query: liveQuery,
  },
  responses: { 101: { description: "Switching protocols: the room's WebSocket" } },
});

sessions.handle(liveRoute, async function liveHandler(c) {
  const upgrade = c.req.header("upgrade")?.toLowerCase() === "websocket";
  const { config, db } = c.get("services");
  const admission = await admitToRoom(
    db,
    tokenSettings(config),
    c.req.param("sessionId"),
    c.req.valid("query"),
  );
  const orgId = admission.ok ? admission.session.orgId : admission.orgId;
  if (orgId) c.set("logOrgId", orgId);
  if (!admission.ok) {
    if (!upgrade) throw new ApiError(admission.refusal.apiCode, admission.refusal.message);
    return refusedSocket(admission.refusal);
  }
  if (!upgrade) throw new ApiError("bad_request", "Connect with a WebSocket (Upgrade: websocket)");
  const actor = await joinAs(db, admission.session, admission.identity);
  return roomsOf(c)(admission.session).join({ actor, since: admission.since });
});

export const registerSessionLiveRoutes = (app: Router) => sessions.register(app);

const tokenSettings = (config: { jwtSecret: string; jwtIssuer: string }): RoomTokenSettings => ({
  secret: config.jwtSecret,
  issuer: config.jwtIssuer,
});

/** A refused upgrade the client can see: accept, send one error frame, close with a 4xxx code. */
function refusedSocket({ code, message, closeCode }: Refusal): Response {
  const pair = new WebSocketPair();
  const server = pair[1];
  server.accept();
  server.send(JSON.stringify({ type: "error", code, message } satisfies RoomFrame));
  server.close(closeCode, message.slice(0, 120));
  return new Response(null, { status: 101, webSocket: pair[0] });
}
