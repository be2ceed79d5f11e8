import { useId, useState } from "react";
import { api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { CreateDialog } from "./Dialog.tsx";
import { Switcher } from "./Switcher.tsx";

/** The organisation every call is made in (X-Org-Id), and a way to start a new one. */
export function OrgSwitcher() {
  const { orgs, orgId, switchOrg, setOrgs } = useAppState();
  const [creating, setCreating] = useState(false);
  const id = useId();
  return (
    <Switcher
      id={`${id}-org`}
      label="Organisation"
      value={orgId ?? ""}
      options={orgs.map((o) => ({ value: o.orgId, label: o.name }))}
      onChange={switchOrg}
      newLabel="New organisation"
      onNew={() => setCreating(true)}
    >
      <CreateDialog
        open={creating}
        title="New organisation"
        submitLabel="Create organisation"
        onClose={() => setCreating(false)}
        onCreate={async (form) => {
          const org = await api.createOrg(String(form.get("name") ?? ""));
          setOrgs((await api.listOrgs()).items);
          switchOrg(org.id);
        }}
      />
    </Switcher>
  );
}
