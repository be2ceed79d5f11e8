// Typed calls of the data lifecycle (workers/routes/tenancy/org-exports.ts and org-lifecycle.ts,
// docs/data-lifecycle.md): organisation exports, deleting and restoring an organisation.
import type { DeletedOrg, IdentityCheck } from "../../shared/contract/auth.ts";
import type { OrgExport } from "../../shared/contract/lifecycle.ts";
import { enc, json, type Membership, send } from "./api.ts";

export type { DeletedOrg, IdentityCheck, OrgExport };

export const lifecycleApi = {
  listExports: () => json<{ items: OrgExport[] }>("GET", "/v1/org/exports"),
  startExport: () => json<OrgExport>("POST", "/v1/org/exports"),
  /** The finished export as a file the browser can save. */
  downloadExport: async (exportId: string): Promise<Blob> =>
    (await send("GET", `/v1/org/exports/${enc(exportId)}/download`)).blob(),
  deleteOrg: (check: IdentityCheck) => json<void>("DELETE", "/v1/org", { json: check }),
  // Orgless routes: sent without X-Org-Id, as the current organisation may be the deleted one.
  listDeletedOrgs: () => json<{ items: DeletedOrg[] }>("GET", "/v1/orgs/deleted", { anonymous: true }),
  /** The caller's organisations without naming the current one, which may just have been deleted (404). */
  listOrgsAfterDeletion: () => json<{ items: Membership[] }>("GET", "/v1/orgs", { anonymous: true }),
  restoreOrg: (orgId: string) => json<void>("POST", "/v1/org/restore", { json: { orgId }, anonymous: true }),
};
