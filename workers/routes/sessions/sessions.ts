import {
  createSessionSchema,
  type Session,
  sessionListQuery,
  sessionSchema,
  updateSessionSchema,
} from "../../../shared/contract/sessions.ts";
import {
  createSession,
  endSession,
  listSessions,
  requireSession,
  toSession,
  updateSession,
} from "../../../shared/sessions/service.ts";
import { announce } from "../../announce.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import type { Services } from "../../services.ts";
import { projectParams, sessionParams, tags } from "./params.ts";
import { roomsOf } from "./room-access.ts";

const sessions = routeGroup({ tags, permission: "sessions:write" });

const createSessionRoute = sessions.post("/projects/{projectId}/sessions", {
  summary: "Start a manual testing session",
  request: { params: projectParams, body: jsonBody(createSessionSchema) },
  responses: { 201: jsonContent(sessionSchema, "The new session") },
});

sessions.answer(createSessionRoute, function createSessionHandler({ db, orgId, audit, param, json }) {
  return createSession(db, orgId, audit, param.projectId, json);
});

const listProjectSessionsRoute = sessions.get("/projects/{projectId}/sessions", {
  summary: "List a project's sessions (newest first)",
  permission: "sessions:read",
  request: { params: projectParams, query: sessionListQuery },
  responses: { 200: jsonContent(pageOf(sessionSchema), "A page of sessions") },
});

sessions.answer(listProjectSessionsRoute, function listProjectSessionsHandler({ db, orgId, param, query }) {
  return listSessions(db, orgId, query, param.projectId);
});

const listSessionsRoute = sessions.get("/sessions", {
  summary: "List the organisation's sessions (newest first)",
  permission: "sessions:read",
  request: { query: sessionListQuery },
  responses: { 200: jsonContent(pageOf(sessionSchema), "A page of sessions") },
});

sessions.answer(listSessionsRoute, function listSessionsHandler({ db, orgId, query }) {
  return listSessions(db, orgId, query);
});

const getSessionRoute = sessions.get("/sessions/{sessionId}", {
  summary: "Get a session",
  permission: "sessions:read",
  request: { params: sessionParams },
  responses: { 200: jsonContent(sessionSchema, "The session") },
});

sessions.answer(getSessionRoute, async function getSessionHandler({ db, orgId, param }) {
  return toSession(await requireSession(db, orgId, param.sessionId));
});

const updateSessionRoute = sessions.patch("/sessions/{sessionId}", {
  errors: [409],
  summary: "Update a session's title, charter or timebox",
  request: { params: sessionParams, body: jsonBody(updateSessionSchema) },
  responses: { 200: jsonContent(sessionSchema, "The updated session") },
});

sessions.answer(updateSessionRoute, function updateSessionHandler({ db, orgId, audit, param, json }) {
  return updateSession(db, orgId, audit, param.sessionId, json);
});

const endSessionRoute = sessions.post("/sessions/{sessionId}/end", {
  errors: [409],
  summary: 'End a session: live clients get {type:"ended"} and are disconnected',
  request: { params: sessionParams },
  responses: { 200: jsonContent(sessionSchema, "The ended session") },
});

sessions.handle(endSessionRoute, async function endSessionHandler(c) {
  const { sessionId } = c.req.valid("param");
  const session = await endSession(c.get("services").db, roomsOf(c), orgIdOf(c), auditContext(c), sessionId);
  c.executionCtx.waitUntil(announceSessionEnded(c.get("services"), orgIdOf(c), session));
  return c.json(session, 200);
});

/** `session.ended` to subscribed endpoints and Slack rules, once per session (after the response). */
function announceSessionEnded(services: Services, orgId: string, session: Session) {
  return announce(services, [
    {
      orgId,
      projectId: session.projectId,
      type: "session.ended",
      key: `session.ended:${session.id}`,
      summary: `Session “${session.title}” ended`,
      data: {
        sessionId: session.id,
        title: session.title,
        environment: session.environment,
        createdBy: session.createdBy,
        createdAt: session.createdAt,
        endedAt: session.endedAt,
        events: session.lastSeq,
      },
    },
  ]);
}

export const registerSessionCrudRoutes = (app: Router) => sessions.register(app);
