import { type FormEvent, useId, useState } from "react";
import { api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { Dialog } from "./Dialog.tsx";
import { ErrorNotice } from "./Feedback.tsx";

/** The organisation every call is made in (X-Org-Id), and a way to start a new one. */
export function OrgSwitcher() {
  const { orgs, orgId, switchOrg, setOrgs } = useAppState();
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = useId();

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    try {
      const org = await api.createOrg(name);
      setOrgs((await api.listOrgs()).items);
      switchOrg(org.id);
      setCreating(false);
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <div className="switcher">
      <label htmlFor={`${id}-org`}>Organisation</label>
      <div className="switcher-row">
        <select id={`${id}-org`} value={orgId ?? ""} onChange={(e) => switchOrg(e.target.value)}>
          {orgs.map((o) => (
            <option key={o.orgId} value={o.orgId}>
              {o.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn-icon"
          onClick={() => {
            setError(null);
            setCreating(true);
          }}
          aria-label="New organisation"
          title="New organisation"
        >
          +
        </button>
      </div>
      <Dialog open={creating} title="New organisation" onClose={() => setCreating(false)}>
        <form onSubmit={create} className="stack">
          <div className="field">
            <label htmlFor={`${id}-org-name`}>Name</label>
            <input id={`${id}-org-name`} name="name" required maxLength={100} autoFocus />
          </div>
          <ErrorNotice error={error} />
          <div className="actions">
            <button type="submit" className="btn btn-primary">
              Create organisation
            </button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
