import { api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { Link } from "./Link.tsx";
import { useAsync } from "./useAsync.ts";

/** Shown above every screen while the organisation requires a second factor this sign-in lacks. */
export function MfaRequiredNotice() {
  const { orgId } = useAppState();
  const status = useAsync(() => api.mfaStatus(), [orgId]);
  const data = status.data;
  if (!data || !orgId || !data.requiredBy.includes(orgId) || data.currentSignInVerified) return null;
  return (
    <div className="notice notice-warn" role="alert">
      This organisation requires two-factor sign-in.{" "}
      <Link href="/security">{data.enabled ? "Sign out and sign in with your code" : "Turn it on now"}</Link>.
    </div>
  );
}
