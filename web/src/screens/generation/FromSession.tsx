import { type FormEvent, useId } from "react";
import { api } from "../../api.ts";
import { generationApi } from "../../api-generation.ts";
import { ErrorNotice } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Field, readForm } from "../../components/forms.tsx";
import { LoadMore } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { usePaged } from "../../components/usePaged.ts";
import { navigate } from "../../router.ts";

/**
 * Picks one of the project's manual sessions and plans a spec from its recorded steps. The sessions come
 * a page at a time (newest first), so older ones are reached with "Load older sessions".
 */
export function FromSession({ projectId }: { projectId: string }) {
  const id = useId();
  const sessions = usePaged((cursor) => api.listSessions(projectId, { cursor }), [projectId]);
  const action = useAction();

  function start(event: FormEvent<HTMLFormElement>) {
    const { text } = readForm(event);
    const sessionId = text("session");
    if (!sessionId) return;
    void action.submit(async () => {
      const job = await generationApi.fromSession(sessionId);
      navigate(`/generations/${job.id}`);
    });
  }

  return (
    <form className="stack" onSubmit={start} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Generate from a manual session</h3>
      <p className="muted small">
        The session's recorded steps become one Playwright test; notes such as{" "}
        <code>expect: cart shows 2 items</code> become its assertions.
      </p>
      <ErrorNotice error={sessions.error} onRetry={sessions.reload} />
      <ErrorNotice error={action.error} />
      {sessions.loaded && !sessions.error && sessions.items.length === 0 ? (
        <p className="muted small">This project has no sessions yet.</p>
      ) : (
        <div className="inline-form">
          <Field id={`${id}-session`} label="Session">
            <select id={`${id}-session`} name="session" required disabled={sessions.items.length === 0}>
              {sessions.items.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title} · {formatDateTime(s.createdAt)}
                </option>
              ))}
            </select>
          </Field>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={action.busy || sessions.items.length === 0}
          >
            {action.busy ? "Generating…" : "Generate"}
          </button>
        </div>
      )}
      <LoadMore
        hasMore={sessions.hasMore}
        loading={sessions.loading}
        onMore={sessions.more}
        label="Load older sessions"
      />
    </form>
  );
}
