import { type FormEvent, useId, useState } from "react";
import {
  ENVIRONMENTS,
  type Environment,
  PROVIDERS,
  type Provider,
  type WebhookSource,
  webhooksApi,
} from "../../api-webhooks.ts";
import { useAppState } from "../../app-state.tsx";
import { CopyField } from "../../components/CopyButton.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../components/format.ts";
import { useProjectName } from "../../components/ProjectGate.tsx";
import { LoadMore, ReadOnlyNote } from "../../components/SubNav.tsx";
import { keyboardScrollable } from "../../components/scroll.ts";
import { usePaged } from "../../components/usePaged.ts";

/** Inbound webhook sources: create one (its URL and secret are shown once), list and delete them. */
export function Sources() {
  const { can, projects } = useAppState();
  const sources = usePaged((cursor) => webhooksApi.sources({ cursor, limit: 50 }), []);
  const [created, setCreated] = useState<(WebhookSource & { secret: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const manage = can("webhooks:manage");
  const projectName = useProjectName();
  const id = useId();

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    setBusy(true);
    setError(null);
    try {
      setCreated(
        await webhooksApi.createSource({
          provider: text("provider") as Provider,
          name: text("name") ?? "",
          environment: text("environment") as Environment | undefined,
          projectId: text("projectId"),
        }),
      );
      formElement.reset();
      sources.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  async function remove(source: WebhookSource) {
    if (!confirm(`Delete the source “${source.name}”? Its URL stops accepting webhooks at once.`)) return;
    setError(null);
    try {
      await webhooksApi.deleteSource(source.id);
      if (created?.id === source.id) setCreated(null);
      sources.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  const url = (source: WebhookSource) => `${location.origin}${source.url}`;

  return (
    <div>
      <h2>Inbound sources</h2>
      <p className="muted small">
        Each source has a URL to paste into the provider's webhook settings and a secret Shifty verifies every
        delivery's signature with.
      </p>
      {manage ? (
        <form className="card filters" onSubmit={create} aria-label="New inbound source">
          <div className="field">
            <label htmlFor={`${id}-provider`}>Provider</label>
            <select id={`${id}-provider`} name="provider" defaultValue="github" required>
              {PROVIDERS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-name`}>Source name</label>
            <input id={`${id}-name`} name="name" required maxLength={100} placeholder="shop repository" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-env`}>Environment</label>
            <select id={`${id}-env`} name="environment" defaultValue="">
              <option value="">None</option>
              {ENVIRONMENTS.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-project`}>Project</label>
            <select id={`${id}-project`} name="projectId" defaultValue="">
              <option value="">None</option>
              {projects?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="filters-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              Create source
            </button>
          </div>
        </form>
      ) : (
        <ReadOnlyNote permission="webhooks:manage" what="creating and deleting sources" />
      )}

      {created && (
        <div className="card secret" role="status" aria-live="polite">
          <div className="secret-head">
            <strong>Source “{created.name}” created. Copy its secret now: it is shown only once.</strong>
            <button type="button" className="btn btn-ghost" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
          <div className="stack-sm">
            <CopyField value={url(created)} label="Webhook URL" testId="source-url" copyLabel="Copy URL" />
            <CopyField
              value={created.secret}
              label="Webhook secret"
              testId="source-secret"
              copyLabel="Copy secret"
            />
          </div>
        </div>
      )}

      <ErrorNotice error={error} />
      <ErrorNotice error={sources.error} />
      {!sources.loaded ? (
        <Spinner label="Loading sources" />
      ) : sources.items.length === 0 ? (
        <EmptyState title="No inbound sources yet" />
      ) : (
        <div className="table-wrap" {...keyboardScrollable}>
          <table>
            <caption className="visually-hidden">Inbound sources</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Provider</th>
                <th scope="col">URL</th>
                <th scope="col">Env · project</th>
                <th scope="col">Created</th>
                {manage && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {sources.items.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  <td>{s.provider}</td>
                  <td>
                    <code>{s.url}</code>
                  </td>
                  <td>
                    {s.environment ?? "—"} · {s.projectId ? projectName(s.projectId) : "—"}
                  </td>
                  <td className="nowrap">{formatDateTime(s.createdAt)}</td>
                  {manage && (
                    <td className="row-actions">
                      <button
                        type="button"
                        className="btn btn-danger btn-small"
                        onClick={() => remove(s)}
                        aria-label={`Delete ${s.name}`}
                      >
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore hasMore={sources.hasMore} loading={sources.loading} onMore={sources.more} />
    </div>
  );
}
