import { type FormEvent, useId } from "react";
import { api, type TestSession } from "../api.ts";
import { ErrorNotice } from "../components/Feedback.tsx";
import { formatRelative } from "../components/format.ts";
import { Field } from "../components/forms.tsx";
import { Link } from "../components/Link.tsx";
import { InProject, Page } from "../components/Page.tsx";
import { PagedView } from "../components/PagedView.tsx";
import { ProjectGate } from "../components/ProjectGate.tsx";
import { useAction } from "../components/useAction.ts";
import { usePaged } from "../components/usePaged.ts";
import { navigate } from "../router.ts";

/** Manual testing sessions of the current project, and a form to start one. */
export function Sessions() {
  return (
    <Page
      id="sessions-title"
      title="Sessions"
      lead={
        <>
          Live, collaborative exploratory testing
          <InProject />
        </>
      }
    >
      <ProjectGate
        emptyTitle="Create a project to start testing"
        emptyText="Sessions, findings and healing data all live in a project."
      >
        {(projectId) => <SessionList projectId={projectId} />}
      </ProjectGate>
    </Page>
  );
}

function SessionList({ projectId }: { projectId: string }) {
  const sessions = usePaged((cursor) => api.listSessions(projectId, { cursor }), [projectId]);
  const { error, busy, submit } = useAction();
  const id = useId();

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await submit(async () => {
      const created = await api.createSession(projectId, {
        title: String(form.get("title") ?? ""),
        charter: String(form.get("charter") ?? ""),
        environment: String(form.get("environment") ?? ""),
        timeboxMinutes: Number(form.get("timeboxMinutes") ?? 60),
        url: String(form.get("url") ?? "") || undefined,
      });
      navigate(`/sessions/${created.id}`);
    });
  }

  return (
    <div className="split">
      <div className="split-main">
        <PagedView
          paged={sessions}
          loadingLabel="Loading sessions"
          emptyTitle="No sessions yet"
          empty="Start the first one with the form."
          moreLabel="Load older sessions"
        >
          {(items) => (
            <ul className="session-list" aria-label="Sessions">
              {items.map((s) => (
                <SessionCard key={s.id} session={s} />
              ))}
            </ul>
          )}
        </PagedView>
      </div>
      <form className="card stack split-side" onSubmit={create} aria-labelledby={`${id}-new`}>
        <h2 id={`${id}-new`}>New session</h2>
        <div className="field">
          <label htmlFor={`${id}-title`}>Title</label>
          <input
            id={`${id}-title`}
            name="title"
            required
            maxLength={200}
            placeholder="Checkout on mobile Safari"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-charter`}>Charter</label>
          <textarea
            id={`${id}-charter`}
            name="charter"
            required
            rows={3}
            maxLength={4000}
            placeholder="Explore the checkout with saved cards to discover payment edge cases"
          />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-env`}>Environment</label>
            <input id={`${id}-env`} name="environment" required maxLength={100} defaultValue="staging" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-timebox`}>Timebox (min)</label>
            <input
              id={`${id}-timebox`}
              name="timeboxMinutes"
              type="number"
              min={5}
              max={480}
              step={5}
              defaultValue={60}
              required
            />
          </div>
        </div>
        <Field id={`${id}-url`} label="App URL" optional>
          <input id={`${id}-url`} name="url" type="url" placeholder="https://staging.example.com" />
        </Field>
        <ErrorNotice error={error} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Starting…" : "Start session"}
        </button>
      </form>
    </div>
  );
}

function SessionCard({ session: s }: { session: TestSession }) {
  const live = s.status !== "ended";
  return (
    <li className="card session-card">
      <div className="session-card-head">
        <Link href={`/sessions/${s.id}`} className="session-title">
          {s.title}
        </Link>
        <span className={`badge ${live ? "badge-live" : "badge-ended"}`}>{live ? "live" : "ended"}</span>
      </div>
      <p className="session-charter">{s.charter}</p>
      <p className="muted small">
        {s.environment} · {s.timeboxMinutes} min · started {formatRelative(s.createdAt)}
      </p>
    </li>
  );
}
