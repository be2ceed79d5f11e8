import { type FormEvent, useId, useState } from "react";
import { api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { Dialog } from "./Dialog.tsx";
import { ErrorNotice } from "./Feedback.tsx";
import { Switcher } from "./Switcher.tsx";

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
    <Switcher
      id={`${id}-org`}
      label="Organisation"
      value={orgId ?? ""}
      options={orgs.map((o) => ({ value: o.orgId, label: o.name }))}
      onChange={switchOrg}
      newLabel="New organisation"
      onNew={() => {
        setError(null);
        setCreating(true);
      }}
    >
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
    </Switcher>
  );
}
