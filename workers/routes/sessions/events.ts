import { eventMessage } from "../../../shared/contract/room.ts";
import {
  eventsPageSchema,
  eventsQuery,
  participantListSchema,
  roomEventSchema,
} from "../../../shared/contract/sessions.ts";
import { requireActiveSession, requireSession } from "../../../shared/sessions/service.ts";
import { listSessionParticipants, postEvent, readTimeline } from "../../../shared/sessions/timeline.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";
import { sessionParams, tags } from "./params.ts";
import { roomActorOf, roomsOf } from "./room-access.ts";

const sessions = routeGroup({ tags, permission: "sessions:read" });

const listEventsRoute = sessions.get("/sessions/{sessionId}/events", {
  summary: "The session timeline after `since` (oldest first), from the D1 mirror of the room",
  description:
    "Returns events with seq > since in seq order. `nextSince` is the seq to pass next time (the last returned " +
    "seq, or `since` when nothing is new); a full page (`items.length === limit`) means more may follow.",
  request: { params: sessionParams, query: eventsQuery },
  responses: { 200: jsonContent(eventsPageSchema, "Events") },
});

sessions.answer(listEventsRoute, function listEventsHandler({ db, orgId, param, query }) {
  return readTimeline(db, orgId, param.sessionId, query.since, query.limit);
});

const postEventRoute = sessions.post("/sessions/{sessionId}/events", {
  errors: [409, 422],
  summary: "Post a step, note, finding, chat, prompt or answer (the HTTP twin of a WebSocket message)",
  description:
    "Goes through the live room, so seq stays monotonic and connected clients see the event. Observers " +
    "(sessions:read only) may send chat and answer.",
  request: { params: sessionParams, body: jsonBody(eventMessage) },
  responses: { 201: jsonContent(roomEventSchema, "The stored event") },
});

sessions.handle(postEventRoute, async function postEventHandler(c) {
  const { db } = c.get("services");
  const session = await requireActiveSession(db, orgIdOf(c), c.req.valid("param").sessionId);
  const actor = await roomActorOf(c, session);
  const event = await postEvent(db, roomsOf(c), session, actor, c.req.valid("json"));
  return c.json(event, 201);
});

const listParticipantsRoute = sessions.get("/sessions/{sessionId}/participants", {
  summary: "Everyone who joined the session, with who is connected right now",
  request: { params: sessionParams },
  responses: { 200: jsonContent(participantListSchema, "Participants") },
});

sessions.handle(listParticipantsRoute, async function listParticipantsHandler(c) {
  const { db } = c.get("services");
  const session = await requireSession(db, orgIdOf(c), c.req.valid("param").sessionId);
  return c.json({ items: await listSessionParticipants(db, roomsOf(c), session) }, 200);
});

export const registerSessionEventRoutes = (app: Router) => sessions.register(app);
