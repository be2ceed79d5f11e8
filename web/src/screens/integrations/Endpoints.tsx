import { type FormEvent, useId, useState } from "react";
import { ENVIRONMENTS, type Environment, type WebhookEndpoint, webhooksApi } from "../../api-webhooks.ts";
import { useAppState } from "../../app-state.tsx";
import { CopyField } from "../../components/CopyButton.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatRelative } from "../../components/format.ts";
import { LoadMore, ReadOnlyNote } from "../../components/SubNav.tsx";
import { keyboardScrollable } from "../../components/scroll.ts";
import { usePaged } from "../../components/usePaged.ts";

/** Outbound endpoints: subscribe (secret shown once), enable/disable, rotate the secret, delete. */
export function Endpoints() {
  const { can } = useAppState();
  const endpoints = usePaged((cursor) => webhooksApi.endpoints({ cursor, limit: 50 }), []);
  const [secret, setSecret] = useState<{ url: string; secret: string; rotated: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const manage = can("webhooks:manage");
  const id = useId();

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    setBusy(true);
    setError(null);
    try {
      const created = await webhooksApi.createEndpoint({
        url: text("url") ?? "",
        eventTypes: (text("eventTypes") ?? "*").split(/[\s,]+/).filter(Boolean),
        environment: text("environment") as Environment | undefined,
        description: text("description"),
      });
      setSecret({ url: created.url, secret: created.secret, rotated: false });
      formElement.reset();
      endpoints.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  async function act(endpoint: WebhookEndpoint, action: "enable" | "disable" | "rotate" | "delete") {
    if (
      action === "delete" &&
      !confirm(`Delete the endpoint ${endpoint.url}? Pending deliveries are cancelled.`)
    )
      return;
    if (action === "rotate" && !confirm("Rotate the signing secret? The old one keeps signing for 24 hours."))
      return;
    setError(null);
    try {
      if (action === "delete") await webhooksApi.deleteEndpoint(endpoint.id);
      else if (action === "rotate") {
        const rotated = await webhooksApi.rotateEndpointSecret(endpoint.id);
        setSecret({ url: rotated.url, secret: rotated.secret, rotated: true });
      } else await webhooksApi.setEndpointEnabled(endpoint.id, action === "enable");
      endpoints.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <div>
      <h2>Outbound endpoints</h2>
      <p className="muted small">
        Shifty sends matching events to these URLs, signed per Standard Webhooks, retrying with backoff; an
        endpoint that keeps failing is disabled.
      </p>
      {manage ? (
        <form className="card stack" onSubmit={create} aria-label="New outbound endpoint">
          <div className="endpoint-fields">
            <div className="field">
              <label htmlFor={`${id}-url`}>Endpoint URL</label>
              <input
                id={`${id}-url`}
                name="url"
                type="url"
                required
                maxLength={2048}
                placeholder="https://example.com/hooks/shifty"
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-types`}>Event types</label>
              <input
                id={`${id}-types`}
                name="eventTypes"
                maxLength={2000}
                defaultValue="*"
                aria-describedby={`${id}-types-hint`}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-env`}>Environment</label>
              <select id={`${id}-env`} name="environment" defaultValue="">
                <option value="">Any</option>
                {ENVIRONMENTS.map((e) => (
                  <option key={e} value={e}>
                    {e}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-description`}>
                Description <span className="muted">(optional)</span>
              </label>
              <input id={`${id}-description`} name="description" maxLength={500} />
            </div>
          </div>
          <div className="toolbar">
            <small id={`${id}-types-hint`} className="muted">
              Event types, comma separated: <code>*</code> for all, <code>github.*</code> for a provider,{" "}
              <code>github.push</code> for one type.
            </small>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              Add endpoint
            </button>
          </div>
        </form>
      ) : (
        <ReadOnlyNote permission="webhooks:manage" what="managing endpoints" />
      )}

      {secret && (
        <div className="card secret" role="status" aria-live="polite">
          <div className="secret-head">
            <strong>
              {secret.rotated ? "New signing secret" : "Signing secret"} for {secret.url}. Copy it now: it is
              shown only once.
            </strong>
            <button type="button" className="btn btn-ghost" onClick={() => setSecret(null)}>
              Done
            </button>
          </div>
          <CopyField
            value={secret.secret}
            label="Endpoint signing secret"
            testId="endpoint-secret"
            copyLabel="Copy secret"
          />
        </div>
      )}

      <ErrorNotice error={error} />
      <ErrorNotice error={endpoints.error} />
      {!endpoints.loaded ? (
        <Spinner label="Loading endpoints" />
      ) : endpoints.items.length === 0 ? (
        <EmptyState title="No outbound endpoints yet" />
      ) : (
        <div className="table-wrap" {...keyboardScrollable}>
          <table>
            <caption className="visually-hidden">Outbound endpoints</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">Updated</th>
                {manage && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {endpoints.items.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    <code>{e.url}</code>
                    {e.description && <span className="muted small block">{e.description}</span>}
                  </th>
                  <td>
                    {e.eventTypes.map((t) => (
                      <code key={t} className="tag">
                        {t}
                      </code>
                    ))}
                    {e.environment && <span className="muted small block">{e.environment} only</span>}
                  </td>
                  <td>
                    <span className={`badge ${e.status === "active" ? "badge-active" : "badge-revoked"}`}>
                      {e.status}
                    </span>
                    {e.disabledReason && <span className="muted small block">{e.disabledReason}</span>}
                    {e.consecutiveFailures > 0 && (
                      <span className="danger-text small block">
                        {e.consecutiveFailures} failures in a row
                      </span>
                    )}
                  </td>
                  <td className="nowrap">{formatRelative(e.updatedAt)}</td>
                  {manage && (
                    <td className="row-actions">
                      <button
                        type="button"
                        className="btn btn-secondary btn-small"
                        onClick={() => act(e, e.status === "active" ? "disable" : "enable")}
                        aria-label={`${e.status === "active" ? "Disable" : "Enable"} ${e.url}`}
                      >
                        {e.status === "active" ? "Disable" : "Enable"}
                      </button>
                      <button
                        type="button"
                        className="btn btn-secondary btn-small"
                        onClick={() => act(e, "rotate")}
                        aria-label={`Rotate secret of ${e.url}`}
                      >
                        Rotate secret
                      </button>
                      <button
                        type="button"
                        className="btn btn-danger btn-small"
                        onClick={() => act(e, "delete")}
                        aria-label={`Delete ${e.url}`}
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
      <LoadMore hasMore={endpoints.hasMore} loading={endpoints.loading} onMore={endpoints.more} />
    </div>
  );
}
