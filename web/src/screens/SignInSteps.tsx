import { type FormEvent, useEffect, useId, useState } from "react";
import { type AuthSession, api } from "../api.ts";
import { ErrorNotice } from "../components/Feedback.tsx";
import { useAction } from "../components/useAction.ts";

/** How long the stored display copy of a cookie sign-in is kept (the server's token lifetime). */
const SIGN_IN_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * A sign-in that exists only as the cookie (after single sign-on the provider redirects straight to
 * the dashboard with `#signed-in`): the page then asks /v1/me once and adopts it. Without the marker it
 * does not ask, so a signed-out visit makes no request that is bound to be refused.
 */
export function useCookieSignIn(signIn: (session: AuthSession) => void) {
  useEffect(() => {
    if (location.hash !== "#signed-in") return;
    history.replaceState(history.state, "", location.pathname + location.search);
    let live = true;
    api.cookieSignIn().then(
      (me) => {
        if (live && me.user)
          signIn({ token: "", expiresAt: Date.now() + SIGN_IN_TTL_MS, user: me.user, orgs: me.orgs });
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [signIn]);
}

/** The second step when the account has two-factor sign-in: a code from the app, or a recovery code. */
export function SecondFactor({ challenge, onDone }: { challenge: string; onDone: (s: AuthSession) => void }) {
  const [recovery, setRecovery] = useState(false);
  const { error, busy, submit: attempt } = useAction();
  const id = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("code") ?? "").trim();
    await attempt(async () => {
      onDone(await api.verifyMfa(recovery ? { challenge, recoveryCode: value } : { challenge, code: value }));
    });
  }

  return (
    <form onSubmit={submit} className="stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Two-factor sign-in</h2>
      <div className="field">
        <label htmlFor={`${id}-code`}>
          {recovery ? "Recovery code" : "Code from your authenticator app"}
        </label>
        <input
          id={`${id}-code`}
          name="code"
          key={recovery ? "recovery" : "totp"}
          autoComplete="one-time-code"
          inputMode={recovery ? "text" : "numeric"}
          pattern={recovery ? "[0-9A-Za-z]{5}-?[0-9A-Za-z]{5}" : "[0-9]{6}"}
          required
        />
      </div>
      <ErrorNotice error={error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? "Checking…" : "Verify"}
      </button>
      <button type="button" className="btn btn-ghost" onClick={() => setRecovery(!recovery)}>
        {recovery ? "Use the authenticator app" : "Use a recovery code"}
      </button>
    </form>
  );
}

/** Single sign-on: the browser goes to the organisation's provider and comes back signed in. */
export function SsoSignIn() {
  const id = useId();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const org = String(new FormData(event.currentTarget).get("org") ?? "").trim();
    if (org) location.assign(`/v1/auth/sso/start?org=${encodeURIComponent(org)}`);
  }
  return (
    <form onSubmit={submit} className="stack sso-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Single sign-on</h2>
      <div className="field">
        <label htmlFor={`${id}-org`}>Organisation (slug or id)</label>
        <input id={`${id}-org`} name="org" required maxLength={100} placeholder="acme-qa-x1y2z3" />
      </div>
      <button type="submit" className="btn btn-secondary btn-block">
        Continue with SSO
      </button>
    </form>
  );
}
