import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../api.ts";
import {
  type ClientFrame,
  type ConnectionState,
  type Participant,
  RoomConnection,
  type RoomEvent,
} from "../../live.ts";

export type RoomState = {
  events: RoomEvent[];
  participants: Participant[];
  state: ConnectionState;
  lastError: { code: string; message: string; at: number } | null;
  send: (frame: ClientFrame) => void;
};

/**
 * Joins the session's live room for as long as the component is mounted ("live"), or reads the stored
 * timeline over HTTP once the session has ended and its room is closed ("archive").
 */
export function useRoom(sessionId: string, mode: "live" | "archive" | "off"): RoomState {
  const [events, setEvents] = useState<RoomEvent[]>([]);
  const [participants, setParticipants] = useState<Participant[]>([]);
  const [state, setState] = useState<ConnectionState>("connecting");
  const [lastError, setLastError] = useState<RoomState["lastError"]>(null);
  const connection = useRef<RoomConnection | null>(null);

  const addEvent = useCallback(
    (event: RoomEvent) =>
      setEvents((list) => {
        // A replay after reconnect may overlap what we have: keep one copy per seq, in seq order.
        if (list.some((e) => e.seq === event.seq)) return list;
        const last = list.at(-1);
        if (!last || last.seq < event.seq) return [...list, event];
        return [...list, event].sort((a, b) => a.seq - b.seq);
      }),
    [],
  );

  useEffect(() => {
    if (mode !== "archive") return;
    let current = true;
    setState("ended");
    setParticipants([]);
    (async () => {
      let since = 0;
      for (;;) {
        const page = await api.listEvents(sessionId, since);
        if (!current) return;
        for (const event of page.items) addEvent(event as RoomEvent);
        if (page.items.length < 500) return;
        since = page.nextSince;
      }
    })().catch((failure: unknown) => {
      if (current)
        setLastError({
          code: "load",
          message: failure instanceof Error ? failure.message : String(failure),
          at: Date.now(),
        });
    });
    return () => {
      current = false;
    };
  }, [sessionId, mode, addEvent]);

  useEffect(() => {
    if (mode !== "live") return;
    const room = new RoomConnection(() => api.roomTicket(sessionId), {
      onEvent: addEvent,
      onPresence: setParticipants,
      onError: (code, message) => setLastError({ code, message, at: Date.now() }),
      onState: setState,
    });
    connection.current = room;
    void room.open();
    return () => {
      room.close();
      connection.current = null;
    };
  }, [sessionId, mode, addEvent]);

  const send = useCallback((frame: ClientFrame) => connection.current?.send(frame), []);
  return { events, participants, state, lastError, send };
}
