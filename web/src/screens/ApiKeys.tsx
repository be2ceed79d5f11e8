import { type FormEvent, useId, useState } from "react";
import { type ApiKey, api, type CreatedKey } from "../api.ts";
import { CopyField } from "../components/CopyButton.tsx";
import { DataTable, RowButton } from "../components/DataTable.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../components/Feedback.tsx";
import { formatDateTime, formatRelative } from "../components/format.ts";
import { Field } from "../components/forms.tsx";
import { Page } from "../components/Page.tsx";
import { SecretNotice } from "../components/SecretNotice.tsx";
import { useAction } from "../components/useAction.ts";
import { useAsync } from "../components/useAsync.ts";

/** Create (the key is shown once), rotate and revoke API keys. */
export function ApiKeys() {
  const keys = useAsync(() => api.listApiKeys(), []);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const action = useAction();
  const id = useId();

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    return action.submit(async () => {
      setCreated(await api.createApiKey({ name }));
      form.reset();
      keys.reload();
    });
  }

  function act(key: ApiKey, kind: "revoke" | "rotate") {
    if (kind === "revoke" && !confirm(`Revoke “${key.name}”? Anything using it stops working at once.`))
      return;
    return action.run(async () => {
      if (kind === "revoke") await api.revokeApiKey(key.id);
      else setCreated(await api.rotateApiKey(key.id));
      keys.reload();
    });
  }

  return (
    <Page
      id={`${id}-title`}
      title="API keys"
      lead="Keys let the SDK, CI and scripts call Shifty for this organisation."
    >
      <form className="card inline-form" onSubmit={create}>
        <Field id={`${id}-name`} label="Key name" grow>
          <input id={`${id}-name`} name="name" required maxLength={100} placeholder="CI on main" />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={action.busy}>
          Create key
        </button>
      </form>

      {created && (
        <SecretNotice
          title={`Copy your new key “${created.apiKey.name}” now — it is shown only once.`}
          onDone={() => setCreated(null)}
        >
          <CopyField value={created.key} label="Your new API key" testId="new-api-key" />
        </SecretNotice>
      )}

      <ErrorNotice error={action.error} />
      <ErrorNotice error={keys.error} />
      {keys.loading && !keys.data ? (
        <Spinner label="Loading keys" />
      ) : keys.data && keys.data.items.length === 0 ? (
        <EmptyState title="No API keys yet">Create one above for your CI or the SDK.</EmptyState>
      ) : (
        <DataTable
          caption="API keys"
          rows={keys.data?.items ?? []}
          rowKey={(key) => key.id}
          columns={[
            { header: "Name", rowHeader: true, cell: (key) => key.name },
            { header: "Key", cell: (key) => <code>{key.prefix}…</code> },
            {
              header: "Status",
              cell: (key) => (
                <>
                  <span className={`badge badge-${key.status}`}>{key.status}</span>
                  {key.status === "active" && key.expiresAt && (
                    <span className="muted small"> expires {formatRelative(key.expiresAt)}</span>
                  )}
                </>
              ),
            },
            { header: "Created", cell: (key) => formatDateTime(key.createdAt) },
            {
              header: "Last used",
              cell: (key) =>
                key.lastUsedAt ? formatRelative(key.lastUsedAt) : <span className="muted">never</span>,
            },
          ]}
          actions={(key) =>
            key.status === "active" && (
              <>
                <RowButton label={`Rotate ${key.name}`} onClick={() => act(key, "rotate")}>
                  Rotate
                </RowButton>
                <RowButton danger label={`Revoke ${key.name}`} onClick={() => act(key, "revoke")}>
                  Revoke
                </RowButton>
              </>
            )
          }
        />
      )}
    </Page>
  );
}
