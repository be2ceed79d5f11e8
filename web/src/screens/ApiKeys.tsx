import { type FormEvent, useId, useState } from "react";
import { type ApiKey, api, type CreatedKey } from "../api.ts";
import { CopyField } from "../components/CopyButton.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../components/Feedback.tsx";
import { formatDateTime, formatRelative } from "../components/format.ts";
import { keyboardScrollable } from "../components/scroll.ts";
import { useAsync } from "../components/useAsync.ts";

/** Create (the key is shown once), rotate and revoke API keys. */
export function ApiKeys() {
  const keys = useAsync(() => api.listApiKeys(), []);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    setBusy(true);
    setError(null);
    try {
      setCreated(await api.createApiKey({ name }));
      form.reset();
      keys.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  async function act(key: ApiKey, action: "revoke" | "rotate") {
    if (action === "revoke" && !confirm(`Revoke “${key.name}”? Anything using it stops working at once.`))
      return;
    setError(null);
    try {
      if (action === "revoke") await api.revokeApiKey(key.id);
      else setCreated(await api.rotateApiKey(key.id));
      keys.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section className="page" aria-labelledby={`${id}-title`}>
      <header className="page-head">
        <div>
          <h1 id={`${id}-title`}>API keys</h1>
          <p className="muted">Keys let the SDK, CI and scripts call Shifty for this organisation.</p>
        </div>
      </header>

      <form className="card inline-form" onSubmit={create}>
        <div className="field grow">
          <label htmlFor={`${id}-name`}>Key name</label>
          <input id={`${id}-name`} name="name" required maxLength={100} placeholder="CI on main" />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Create key
        </button>
      </form>

      {created && (
        <div className="card secret" role="status" aria-live="polite">
          <div className="secret-head">
            <strong>Copy your new key “{created.apiKey.name}” now — it is shown only once.</strong>
            <button type="button" className="btn btn-ghost" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
          <CopyField value={created.key} label="Your new API key" testId="new-api-key" />
        </div>
      )}

      <ErrorNotice error={error} />
      <ErrorNotice error={keys.error} />
      {keys.loading && !keys.data ? (
        <Spinner label="Loading keys" />
      ) : keys.data && keys.data.items.length === 0 ? (
        <EmptyState title="No API keys yet">Create one above for your CI or the SDK.</EmptyState>
      ) : (
        <div className="table-wrap" {...keyboardScrollable}>
          <table>
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data?.items.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.name}</th>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>
                    <span className={`badge badge-${key.status}`}>{key.status}</span>
                    {key.status === "active" && key.expiresAt && (
                      <span className="muted small"> expires {formatRelative(key.expiresAt)}</span>
                    )}
                  </td>
                  <td>{formatDateTime(key.createdAt)}</td>
                  <td>
                    {key.lastUsedAt ? formatRelative(key.lastUsedAt) : <span className="muted">never</span>}
                  </td>
                  <td className="row-actions">
                    {key.status === "active" && (
                      <>
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          onClick={() => act(key, "rotate")}
                          aria-label={`Rotate ${key.name}`}
                        >
                          Rotate
                        </button>
                        <button
                          type="button"
                          className="btn btn-danger btn-small"
                          onClick={() => act(key, "revoke")}
                          aria-label={`Revoke ${key.name}`}
                        >
                          Revoke
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
