import { type FormEvent, useEffect, useId, useState } from "react";
import { api } from "../api.ts";
import { lifecycleApi, type OrgExport } from "../api-lifecycle.ts";
import { useAppState } from "../app-state.tsx";
import { ErrorNotice } from "../components/Feedback.tsx";
import { formatDateTime, saveBlob } from "../components/format.ts";
import {
  AuthenticatorCodeField,
  CurrentPasswordField,
  readIdentityCheck,
  TypedConfirmField,
} from "../components/forms.tsx";
import { CardSection } from "../components/Page.tsx";
import { useAction } from "../components/useAction.ts";
import { useAsync } from "../components/useAsync.ts";
import { DeleteAccount } from "./DeleteAccount.tsx";

/**
 * The organisation's data lifecycle on its settings screen (docs/data-lifecycle.md): export its data,
 * delete it (owners: typed name and password), restore a deleted one within 30 days; and the user's
 * own account erasure.
 */
export function DangerZone({ mfaEnabled }: { mfaEnabled: boolean }) {
  const { can, org, orgId, orgs } = useAppState();
  // The organisation just deleted when it was the user's last: while it is still the current one and not
  // restored, nothing on this screen may speak for it (its calls would only answer 404).
  const [orphaned, setOrphaned] = useState<{ id: string; name: string } | null>(null);
  const orgGone = orphaned !== null && orgId === orphaned.id && !orgs.some((o) => o.orgId === orphaned.id);
  return (
    <>
      {orgGone ? (
        <section className="card stack" aria-labelledby="no-org-title">
          <h2 id="no-org-title">You belong to no organisation now</h2>
          <p className="muted">
            “{orphaned.name}” is deleted. Restore it below within 30 days, or start a new one with “New
            organisation” (+) beside the organisation menu.
          </p>
        </section>
      ) : (
        <>
          {can("org:manage") && <Exports key={org?.orgId} />}
          {org?.role === "owner" && (
            <DeleteOrg key={org.orgId} onLastDeleted={() => setOrphaned({ id: org.orgId, name: org.name })} />
          )}
        </>
      )}
      <DeletedOrgs />
      <DeleteAccount mfaEnabled={mfaEnabled} />
    </>
  );
}

const STATUS_TEXT: Record<OrgExport["status"], string> = {
  running: "Running…",
  succeeded: "Ready",
  failed: "Failed",
  expired: "Expired (files are kept 7 days)",
};

function Exports() {
  const exports = useAsync(() => lifecycleApi.listExports(), []);
  const { error, run } = useAction();
  const running = exports.data?.items.some((e) => e.status === "running") ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => exports.reload(), 1000);
    return () => clearInterval(timer);
  }, [running, exports.reload]);

  return (
    <CardSection title="Export this organisation’s data">
      <p className="muted">
        One JSON file with every row of the organisation. Passwords, key hashes and tokens are never included.
        Files are kept for 7 days.
      </p>
      <div>
        <button
          type="button"
          className="btn btn-secondary"
          disabled={running}
          onClick={() =>
            run(async () => {
              await lifecycleApi.startExport();
              exports.reload();
            })
          }
        >
          Start export
        </button>
      </div>
      <ErrorNotice error={error ?? exports.error} />
      {exports.data && exports.data.items.length > 0 && (
        <ul className="member-list" aria-label="Exports">
          {exports.data.items.map((e) => (
            <li key={e.id} className="member">
              <div className="member-text">
                <span className="member-name">{formatDateTime(e.createdAt)}</span>
                <span className="muted small">
                  {STATUS_TEXT[e.status]} · {e.rows} rows
                </span>
              </div>
              {e.status === "succeeded" && (
                <button
                  type="button"
                  className="btn btn-small btn-secondary"
                  onClick={() =>
                    run(async () =>
                      saveBlob(await lifecycleApi.downloadExport(e.id), `shifty-export-${e.id}.json`),
                    )
                  }
                >
                  Download<span className="visually-hidden"> export of {formatDateTime(e.createdAt)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </CardSection>
  );
}

/** `onLastDeleted` runs when the user has no other organisation to switch to. */
function DeleteOrg({ onLastDeleted }: { onLastDeleted: () => void }) {
  const { org, setOrgs, switchOrg } = useAppState();
  const [typed, setTyped] = useState("");
  const { error, busy, submit } = useAction();
  const id = useId();
  const name = org?.name ?? "";

  function confirm(event: FormEvent<HTMLFormElement>) {
    const check = readIdentityCheck(event);
    submit(async () => {
      await lifecycleApi.deleteOrg(check);
      const { items } = await lifecycleApi.listOrgsAfterDeletion();
      if (!items[0]) onLastDeleted();
      setOrgs(items);
      if (items[0]) switchOrg(items[0].orgId);
    });
  }

  return (
    <CardSection title="Delete this organisation" danger>
      <p className="muted">
        Members lose access and its API keys stop working at once. You can restore it for 30 days; then its
        data is erased for good.
      </p>
      <form onSubmit={confirm} className="stack">
        <TypedConfirmField
          id={`${id}-name`}
          label={`Type “${name}” to confirm`}
          name="confirmName"
          value={typed}
          onChange={setTyped}
        />
        <CurrentPasswordField id={`${id}-password`} label="Your password" />
        <AuthenticatorCodeField id={`${id}-code`} label="Authenticator code (if two-factor sign-in is on)" />
        <ErrorNotice error={error} />
        <div>
          <button type="submit" className="btn btn-danger" disabled={busy || typed !== name}>
            Delete organisation
          </button>
        </div>
      </form>
    </CardSection>
  );
}

function DeletedOrgs() {
  const { org, setOrgs, switchOrg } = useAppState();
  const deleted = useAsync(() => lifecycleApi.listDeletedOrgs(), [org?.orgId]);
  const { error, run } = useAction();
  if (!deleted.data || deleted.data.items.length === 0) return null;
  function restore(orgId: string) {
    run(async () => {
      await lifecycleApi.restoreOrg(orgId);
      setOrgs((await api.listOrgs()).items);
      switchOrg(orgId);
    });
  }
  return (
    <CardSection title="Deleted organisations">
      <ErrorNotice error={error} />
      <ul className="member-list" aria-label="Deleted organisations">
        {deleted.data.items.map((o) => (
          <li key={o.orgId} className="member">
            <div className="member-text">
              <span className="member-name">{o.name}</span>
              <span className="muted small">Erased after {formatDateTime(o.purgeAt)}</span>
            </div>
            <button type="button" className="btn btn-small btn-secondary" onClick={() => restore(o.orgId)}>
              Restore<span className="visually-hidden"> {o.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </CardSection>
  );
}
