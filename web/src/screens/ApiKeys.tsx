import { type FormEvent, useId, useState } from "react";
import { type ApiKey, api, type CreatedKey } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { CopyField } from "../components/CopyButton.tsx";
import { RowButton } from "../components/DataTable.tsx";
import { ErrorNotice } from "../components/Feedback.tsx";
import { formatDateTime, formatRelative } from "../components/format.ts";
import { Field } from "../components/forms.tsx";
import { Page } from "../components/Page.tsx";
import { PagedTable } from "../components/PagedView.tsx";
import { SecretNotice } from "../components/SecretNotice.tsx";
import { useAction } from "../components/useAction.ts";
import { usePaged } from "../components/usePaged.ts";

const DAY = 86_400_000;
/** Expiry presets in days; "never" and a chosen date beside them. */
const EXPIRY_PRESETS = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never" },
  { value: "date", label: "On a date…" },
];

/** The end of the chosen expiry, or undefined for a key that never expires. */
function expiryOf(form: FormData, now = Date.now()): number | undefined {
  const choice = String(form.get("expiry") ?? "90");
  if (choice === "never") return undefined;
  if (choice === "date") {
    const date = String(form.get("expiresOn") ?? "");
    // The end of the chosen day, in the browser's time zone.
    return date ? new Date(`${date}T23:59:59`).getTime() : undefined;
  }
  return now + Number(choice) * DAY;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Create (the key is shown once, with the scopes and expiry chosen), rotate and revoke API keys. */
export function ApiKeys() {
  const { permissions } = useAppState();
  const keys = usePaged((cursor) => api.listApiKeys({ cursor }), []);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [scoped, setScoped] = useState(false);
  const [expiry, setExpiry] = useState("90");
  const action = useAction();
  const id = useId();
  // A key may hold only what its creator holds: the server refuses more (403), so only those are offered.
  const grantable = [...(permissions ?? [])].sort();

  function create(event: FormEvent<HTMLFormElement>) {
    return action.submitForm(event, async ({ form, text }) => {
      const chosen = form.getAll("permissions").map(String);
      if (scoped && chosen.length === 0)
        throw new Error("Choose at least one scope, or give the key full access.");
      const expiresAt = expiryOf(form);
      setCreated(
        await api.createApiKey({
          name: text("name") ?? "",
          ...(scoped ? { permissions: chosen } : {}),
          ...(expiresAt !== undefined ? { expiresAt } : {}),
        }),
      );
      setScoped(false);
      setExpiry("90");
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
      <form className="card stack" onSubmit={create} aria-label="New API key">
        <div className="field-row">
          <Field id={`${id}-name`} label="Key name">
            <input id={`${id}-name`} name="name" required maxLength={100} placeholder="CI on main" />
          </Field>
          <Field id={`${id}-expiry`} label="Expires">
            <select
              id={`${id}-expiry`}
              name="expiry"
              value={expiry}
              onChange={(event) => setExpiry(event.target.value)}
            >
              {EXPIRY_PRESETS.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </Field>
          {expiry === "date" && (
            <Field id={`${id}-date`} label="Expiry date">
              <input id={`${id}-date`} name="expiresOn" type="date" required min={isoDay(Date.now() + DAY)} />
            </Field>
          )}
        </div>
        <fieldset className="check-grid">
          <legend>Scopes</legend>
          <label className="check">
            <input type="radio" name="access" checked={!scoped} onChange={() => setScoped(false)} />
            <span>
              Full access <span className="muted small block">Everything you may do, now and later.</span>
            </span>
          </label>
          <label className="check">
            <input type="radio" name="access" checked={scoped} onChange={() => setScoped(true)} />
            <span>
              Only chosen scopes <span className="muted small block">The least a script needs.</span>
            </span>
          </label>
        </fieldset>
        {scoped && (
          <fieldset className="check-grid" aria-describedby={`${id}-scopes-hint`}>
            <legend>Permissions of the key</legend>
            {grantable.map((permission) => (
              <label key={permission} className="check">
                <input type="checkbox" name="permissions" value={permission} />
                <code>{permission}</code>
              </label>
            ))}
            <small id={`${id}-scopes-hint`} className="muted">
              Only permissions you hold are offered: a key never holds more than its creator.
            </small>
          </fieldset>
        )}
        <div className="toolbar">
          <span />
          <button type="submit" className="btn btn-primary" disabled={action.busy}>
            Create key
          </button>
        </div>
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
      <PagedTable
        paged={keys}
        loadingLabel="Loading keys"
        emptyTitle="No API keys yet"
        empty="Create one above for your CI or the SDK."
        moreLabel="Load more keys"
        caption="API keys"
        columns={[
          { header: "Name", rowHeader: true, cell: (key) => key.name },
          { header: "Key", cell: (key) => <code>{key.prefix}…</code> },
          { header: "Scopes", cell: (key) => <KeyScopes apiKey={key} all={permissions} /> },
          {
            header: "Status",
            cell: (key) => <span className={`badge badge-${key.status}`}>{key.status}</span>,
          },
          { header: "Expires", className: "nowrap", cell: KeyExpiry },
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
    </Page>
  );
}

/** A key's permissions: "full access" when it holds everything its creator may, else each one. */
function KeyScopes({ apiKey, all }: { apiKey: ApiKey; all: ReadonlySet<string> | null }) {
  const full = all !== null && all.size > 0 && [...all].every((p) => apiKey.permissions.includes(p));
  if (full) return <span className="muted">full access</span>;
  return (
    <span data-testid="key-scopes">
      {apiKey.permissions.map((p) => (
        <code key={p} className="tag">
          {p}
        </code>
      ))}
    </span>
  );
}

function KeyExpiry(key: ApiKey) {
  if (key.expiresAt === null) return <span className="muted">never</span>;
  return (
    <time dateTime={new Date(key.expiresAt).toISOString()} title={formatDateTime(key.expiresAt)}>
      {isoDay(key.expiresAt)}
      <span className="muted small block">{formatRelative(key.expiresAt)}</span>
    </time>
  );
}
