import { z } from "@hono/zod-openapi";
import type { AppendResult } from "../../../durable-objects/session-room.ts";
import { eventMessage } from "../../../shared/sessions/protocol.ts";
import { listEvents, listParticipants, upsertParticipant } from "../../../shared/sessions/repository.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import {
  requireActive,
  requireSession,
  roomActorOf,
  roomErrorToApi,
  roomEventSchema,
  roomOf,
  tags,
} from "./access.ts";
import { sessionParams } from "./sessions.ts";

const eventsQuery = z.object({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const participantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(["host", "tester", "observer"]),
    online: z.boolean(),
    focus: z.string().nullable(),
    firstSeenAt: z.number().int(),
    lastSeenAt: z.number().int(),
  })
  .openapi("SessionParticipant");

export function registerSessionEventRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/sessions/{sessionId}/events",
      tags,
      summary: "The session timeline after `since` (oldest first), from the D1 mirror of the room",
      description:
        "Returns events with seq > since in seq order. `nextSince` is the seq to pass next time (the last returned " +
        "seq, or `since` when nothing is new); a full page (`items.length === limit`) means more may follow.",
      permission: "sessions:read",
      request: { params: sessionParams, query: eventsQuery },
      responses: {
        200: jsonContent(
          z.object({ items: z.array(roomEventSchema), nextSince: z.number().int() }),
          "Events",
        ),
      },
    }),
    async (c) => {
      const { sessionId } = c.req.valid("param");
      const { since, limit } = c.req.valid("query");
      await requireSession(c, sessionId);
      const items = await listEvents(c.get("services").db, orgIdOf(c), sessionId, since, limit);
      return c.json({ items, nextSince: items.at(-1)?.seq ?? since }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/sessions/{sessionId}/events",
      errors: [409, 422],
      tags,
      summary: "Post a step, note, finding, chat, prompt or answer (the HTTP twin of a WebSocket message)",
      description:
        "Goes through the live room, so seq stays monotonic and connected clients see the event. Observers " +
        "(sessions:read only) may send chat and answer.",
      permission: "sessions:read",
      request: { params: sessionParams, body: jsonBody(eventMessage) },
      responses: {
        201: jsonContent(roomEventSchema, "The stored event"),
      },
    }),
    async (c) => {
      const { sessionId } = c.req.valid("param");
      const message = c.req.valid("json");
      const session = await requireSession(c, sessionId);
      requireActive(session);
      const actor = await roomActorOf(c, session);
      const { stub, info } = roomOf(c.env, session);
      // RPC results lose their discriminant in the stub types; the shape is AppendResult.
      const result = (await stub.append(info, actor, message)) as AppendResult;
      if (!result.ok) throw roomErrorToApi(result.code, result.message);
      await upsertParticipant(c.get("services").db, session.orgId, session.id, {
        actorId: actor.id,
        name: actor.name,
        role: actor.role,
      });
      return c.json(result.event, 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/sessions/{sessionId}/participants",
      tags,
      summary: "Everyone who joined the session, with who is connected right now",
      permission: "sessions:read",
      request: { params: sessionParams },
      responses: {
        200: jsonContent(z.object({ items: z.array(participantSchema) }), "Participants"),
      },
    }),
    async (c) => {
      const { sessionId } = c.req.valid("param");
      const session = await requireSession(c, sessionId);
      const { stub } = roomOf(c.env, session);
      const [rows, online] = await Promise.all([
        listParticipants(c.get("services").db, session.orgId, session.id),
        session.status === "active" ? stub.online() : Promise.resolve([]),
      ]);
      const live = new Map(online.map((p) => [p.id, p]));
      const items = rows.map((p) => ({
        id: p.actorId,
        name: p.name,
        role: p.role,
        online: live.has(p.actorId),
        focus: live.get(p.actorId)?.focus ?? null,
        firstSeenAt: p.firstSeenAt,
        lastSeenAt: p.lastSeenAt,
      }));
      return c.json({ items }, 200);
    },
  );
}
