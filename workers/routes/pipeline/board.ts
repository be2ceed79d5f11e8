import { z } from "zod";
import { boardSnapshotSchema, boardTokenSchema } from "../../../shared/contract/pipeline.ts";
import { boardSnapshot } from "../../../shared/pipeline/board.ts";
import { issueBoardToken, verifyBoardToken } from "../../../shared/pipeline/board-token.ts";
import { ApiError } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonContent, type Router } from "../../openapi.ts";
import { defineRoute, routeGroup } from "../../route.ts";
import { tags } from "./leads.ts";

const pipeline = routeGroup({ tags, permission: "leads:read" });

const snapshotRoute = pipeline.get("/pipeline/board", {
  summary: "The board: lead counts per status and the newest cards of each column",
  responses: { 200: jsonContent(boardSnapshotSchema, "The board snapshot") },
});

const tokenRoute = pipeline.post("/pipeline/board/token", {
  summary: "Mint a short-lived (5 min) token for the live board WebSocket",
  responses: { 201: jsonContent(boardTokenSchema, "A board token and the socket URL") },
});

const liveRoute = defineRoute({
  method: "get",
  path: "/pipeline/board/live",
  access: "public",
  errors: [401],
  tags,
  summary: "Join the live board (WebSocket; frames of moved cards, see docs/pipeline.md)",
  request: { query: z.object({ token: z.string().max(2048) }) },
  responses: { 101: { description: "Switching protocols: the board's WebSocket" } },
});

pipeline.answer(snapshotRoute, function boardSnapshotHandler({ db, orgId }) {
  return boardSnapshot(db, orgId);
});
pipeline.handle(tokenRoute, async function boardTokenHandler(c) {
  const { config } = c.get("services");
  const { token, expiresAt } = await issueBoardToken(
    { secret: config.jwtSecret, issuer: config.jwtIssuer },
    orgIdOf(c),
    c.get("principal").actorId,
  );
  return c.json({ token, expiresAt, url: `/v1/pipeline/board/live?token=${encodeURIComponent(token)}` }, 201);
});
pipeline.handle(liveRoute, async function boardLiveHandler(c) {
  const { config, boards } = c.get("services");
  const orgId = await verifyBoardToken(
    { secret: config.jwtSecret, issuer: config.jwtIssuer },
    c.req.valid("query").token,
  );
  if (!orgId) throw new ApiError("unauthenticated", "The board token is invalid or expired");
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError("bad_request", "Connect with a WebSocket (Upgrade: websocket)");
  }
  c.set("logOrgId", orgId);
  const res = await boards.get(boards.idFromName(orgId)).fetch("https://board.internal/live", {
    headers: { upgrade: "websocket" },
  });
  // A response from a stub has immutable headers; the middleware chain adds its own.
  return new Response(null, { status: res.status, webSocket: res.webSocket });
});

export const registerBoardRoutes = (app: Router) => pipeline.register(app);
