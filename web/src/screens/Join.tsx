import { api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { ErrorNotice } from "../components/Feedback.tsx";
import { useAction } from "../components/useAction.ts";
import { navigate } from "../router.ts";

/** /join?token=inv_…: the signed-in user accepts an invite and lands in that organisation. */
export function Join() {
  const { session, setOrgs, switchOrg } = useAppState();
  const token = new URLSearchParams(location.search).get("token") ?? "";
  const { error, busy, submit } = useAction();

  async function accept() {
    await submit(async () => {
      const joined = await api.acceptInvite(token);
      setOrgs((await api.listOrgs()).items);
      switchOrg(joined.orgId);
      navigate("/sessions", { replace: true });
    });
  }

  return (
    <section className="page narrow">
      <h1>Join an organisation</h1>
      {token ? (
        <>
          <p>
            You are signed in as <strong>{session?.user.email}</strong>. The invite must be for this address.
          </p>
          <ErrorNotice error={error} />
          <button type="button" className="btn btn-primary" onClick={accept} disabled={busy}>
            Accept invite
          </button>
        </>
      ) : (
        <p>This link has no invite token. Ask for a new invite.</p>
      )}
    </section>
  );
}
