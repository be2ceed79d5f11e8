import { type FormEvent, useEffect, useRef, useState } from "react";
import { ApiProblem, api } from "../../api.ts";
import { initials } from "../../components/avatar.ts";
import { ErrorNotice } from "../../components/Feedback.tsx";
import { formatTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { useAction } from "../../components/useAction.ts";
import type { ClientFrame, RoomEvent } from "../../live.ts";
import { stepSentence } from "./step-text.ts";

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

const KIND_LABEL: Record<string, string> = {
  step: "Step",
  note: "Note",
  finding: "Finding",
  chat: "Chat",
  prompt: "Question",
  answer: "Answer",
  screenshot: "Screenshot",
};

type Props = {
  sessionId: string;
  events: RoomEvent[];
  live: boolean;
  send: (frame: ClientFrame) => void;
};

/** The session's events in seq order, announced to screen readers as they arrive (role=log). */
export function Timeline({ sessionId, events, live, send }: Props) {
  const end = useRef<HTMLDivElement>(null);
  const answers = new Map<number, RoomEvent[]>();
  for (const e of events) {
    if (e.kind !== "answer") continue;
    const promptSeq = Number(e.data.promptSeq);
    answers.set(promptSeq, [...(answers.get(promptSeq) ?? []), e]);
  }
  const shown = events.filter(
    (e) => e.kind !== "answer" || !events.some((p) => p.seq === Number(e.data.promptSeq)),
  );

  // Follow new events, unless the reader has scrolled up to look at older ones.
  const count = shown.length;
  useEffect(() => {
    const box = end.current?.parentElement;
    if (!box || count === 0) return;
    if (box.scrollHeight - box.scrollTop - box.clientHeight < 160)
      end.current?.scrollIntoView({ block: "end" });
  }, [count]);

  return (
    // The log role sits on the box: on the <ol> it would replace the list semantics its items need.
    <div
      className="timeline-box"
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label="Session timeline"
      data-testid="timeline"
    >
      <ol className="timeline">
        {shown.length === 0 && (
          <li className="muted timeline-empty">Nothing yet. Add the first step below.</li>
        )}
        {shown.map((e) => (
          <li key={e.seq} className={`event event-${e.kind}`} data-kind={e.kind} data-seq={e.seq}>
            <span className="event-avatar" aria-hidden="true">
              {initials(e.actor.name)}
            </span>
            <div className="event-body">
              <div className="event-meta">
                <span className="event-kind">{KIND_LABEL[e.kind] ?? e.kind}</span>
                <span className="event-actor">{e.actor.name}</span>
                <time dateTime={new Date(e.at).toISOString()} className="muted small">
                  {formatTime(e.at)}
                </time>
                <span className="muted small seq">#{e.seq}</span>
              </div>
              <EventContent sessionId={sessionId} event={e} />
              {e.kind === "prompt" && (
                <PromptAnswers event={e} answers={answers.get(e.seq) ?? []} live={live} send={send} />
              )}
            </div>
          </li>
        ))}
      </ol>
      <div ref={end} />
    </div>
  );
}

function EventContent({ sessionId, event: e }: { sessionId: string; event: RoomEvent }) {
  const d = e.data;
  switch (e.kind) {
    case "step":
      return (
        <p className="event-text">
          {stepSentence(d)}
          {str(d.url) && !/^(navigate|goto)$/i.test(str(d.action) ?? "") && (
            <span className="muted small block">
              at <span className="url">{str(d.url)}</span>
            </span>
          )}
        </p>
      );
    case "finding":
      return <Finding sessionId={sessionId} event={e} />;
    case "screenshot":
      return <Screenshot data={d} />;
    case "prompt":
      return (
        <p className="event-text">
          {str(d.question) ?? str(d.text)}
          {str(d.toRole) && <span className="muted small"> — for {str(d.toRole)}s</span>}
        </p>
      );
    case "answer":
      return <p className="event-text">{str(d.text)}</p>;
    default:
      return <p className="event-text">{str(d.text) ?? JSON.stringify(d)}</p>;
  }
}

function Finding({ sessionId, event: e }: { sessionId: string; event: RoomEvent }) {
  const d = e.data;
  const severity = str(d.severity) ?? "minor";
  const findingId = str(d.findingId) ?? str(d.id);
  const [issueKey, setIssueKey] = useState<string | undefined>(str(d.jiraIssueKey) ?? str(d.jiraKey));
  const { error, busy, submit } = useAction();

  async function exportToJira() {
    if (!findingId) return;
    await submit(async () => {
      const result = await api.exportFindingToJira(sessionId, findingId);
      setIssueKey(result.issueKey);
    });
  }

  return (
    <div className="finding">
      <p className="event-text">
        <span className={`severity severity-${severity}`}>{severity}</span> <strong>{str(d.title)}</strong>
      </p>
      {str(d.description) && <p className="finding-description">{str(d.description)}</p>}
      {findingId && (
        <div className="finding-actions">
          {issueKey ? (
            <span className="badge badge-active">Jira {issueKey}</span>
          ) : (
            <button
              type="button"
              className="btn btn-secondary btn-small"
              onClick={exportToJira}
              disabled={busy}
            >
              {busy ? "Exporting…" : "Export to Jira"}
            </button>
          )}
        </div>
      )}
      <ErrorNotice error={error} />
      {error instanceof ApiProblem && error.status === 422 && /not configured/.test(error.message) && (
        <p className="small">
          <Link href="/settings">Connect Jira in Project settings</Link>, then export again.
        </p>
      )}
    </div>
  );
}

/** Screenshots are private: fetched with the session's credentials and shown from an object URL. */
function Screenshot({ data }: { data: Record<string, unknown> }) {
  const path = str(data.url);
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    if (!path?.startsWith("/v1/")) return;
    let url: string | undefined;
    let current = true;
    api.fetchBlob(path).then(
      (blob) => {
        if (!current) return;
        url = URL.createObjectURL(blob);
        setSrc(url);
      },
      () => undefined,
    );
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [path]);
  return src ? (
    <a href={src} target="_blank" rel="noreferrer" className="shot">
      <img src={src} alt={str(data.caption) ?? "Screenshot"} loading="lazy" />
    </a>
  ) : (
    <p className="event-text muted">{str(data.caption) ?? "Screenshot"}</p>
  );
}

function PromptAnswers({
  event,
  answers,
  live,
  send,
}: {
  event: RoomEvent;
  answers: RoomEvent[];
  live: boolean;
  send: (frame: ClientFrame) => void;
}) {
  function answer(formEvent: FormEvent<HTMLFormElement>) {
    formEvent.preventDefault();
    const form = formEvent.currentTarget;
    const text = String(new FormData(form).get("text") ?? "").trim();
    if (!text) return;
    send({ type: "answer", promptSeq: event.seq, text });
    form.reset();
  }
  return (
    <div className="answers">
      {answers.map((a) => (
        <p key={a.seq} className="answer">
          <strong>{a.actor.name}:</strong> {str(a.data.text)}
        </p>
      ))}
      {live && (
        <form className="answer-form" onSubmit={answer}>
          <label className="visually-hidden" htmlFor={`answer-${event.seq}`}>
            Answer question #{event.seq}
          </label>
          <input id={`answer-${event.seq}`} name="text" placeholder="Your answer" maxLength={2000} required />
          <button type="submit" className="btn btn-secondary btn-small">
            Answer
          </button>
        </form>
      )}
    </div>
  );
}
