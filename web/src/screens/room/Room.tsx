import { useState } from "react";
import { api } from "../../api.ts";
import { useAppState } from "../../app-state.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatRelative, saveBlob } from "../../components/format.ts";
import { Crumb, Link } from "../../components/Link.tsx";
import { useAsync } from "../../components/useAsync.ts";
import type { ConnectionState } from "../../live.ts";
import { Composer } from "./Composer.tsx";
import { Countdown } from "./Countdown.tsx";
import { Presence } from "./Presence.tsx";
import { Timeline } from "./Timeline.tsx";
import { useRoom } from "./useRoom.ts";

const STATE_TEXT: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  open: "Live",
  reconnecting: "Reconnecting…",
  ended: "Session ended",
  failed: "Disconnected",
};

/** The live room of one session: timeline, presence, composer, and the session's own actions. */
export function Room({ sessionId }: { sessionId: string }) {
  const { session: auth } = useAppState();
  const details = useAsync(() => api.getSession(sessionId), [sessionId]);
  const endedBefore = details.data?.status === "ended";
  const room = useRoom(sessionId, !details.data ? "off" : endedBefore ? "archive" : "live");
  const [error, setError] = useState<unknown>(null);
  const ended = endedBefore || room.state === "ended";
  const live = !ended && room.state === "open";

  async function end() {
    if (!confirm("End this session for everyone? The room closes and the timeline is kept.")) return;
    setError(null);
    try {
      await api.endSession(sessionId);
      details.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  async function download(format: "md" | "json") {
    setError(null);
    try {
      saveBlob(await api.exportSession(sessionId, format), `session-${sessionId}.${format}`);
    } catch (failure) {
      setError(failure);
    }
  }

  if (details.error) {
    return (
      <section className="page">
        <h1>Session</h1>
        <ErrorNotice error={details.error} />
        <Link href="/sessions">Back to sessions</Link>
      </section>
    );
  }
  if (!details.data) return <Spinner label="Opening the session" />;
  const s = details.data;

  return (
    <section className="page room" aria-labelledby="room-title">
      <header className="page-head">
        <div>
          <Crumb href="/sessions">Sessions</Crumb>
          <h1 id="room-title">{s.title}</h1>
          <p className="muted">
            {s.environment} · {s.timeboxMinutes} min timebox · started {formatRelative(s.createdAt)}
            {s.url && (
              <>
                {" · "}
                <a href={s.url} target="_blank" rel="noreferrer">
                  {s.url}
                </a>
              </>
            )}
          </p>
        </div>
        <div className="page-actions">
          <span
            className={`connection connection-${ended ? "ended" : room.state}`}
            role="status"
            data-testid="connection"
          >
            <span className="dot" aria-hidden="true" />
            {ended ? STATE_TEXT.ended : STATE_TEXT[room.state]}
          </span>
          {!ended && <Countdown startedAt={s.createdAt} minutes={s.timeboxMinutes} />}
          <button type="button" className="btn btn-secondary" onClick={() => download("md")}>
            Export Markdown
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => download("json")}>
            Export JSON
          </button>
          {!ended && (
            <button type="button" className="btn btn-danger" onClick={end}>
              End session
            </button>
          )}
        </div>
      </header>
      <p className="charter">
        <span className="charter-label">Charter</span> {s.charter}
      </p>
      <ErrorNotice error={error} />
      {room.lastError && (
        <div className="notice notice-warn" role="alert" key={room.lastError.at}>
          <strong>The room refused a message</strong> <span>{room.lastError.message}</span>
        </div>
      )}
      <div className="room-grid">
        <div className="room-main">
          <Timeline sessionId={sessionId} events={room.events} live={live} send={room.send} />
          {!ended && <Composer sessionId={sessionId} send={room.send} />}
        </div>
        <aside className="room-side">
          <Presence participants={room.participants} selfId={auth?.user.id} />
        </aside>
      </div>
    </section>
  );
}
