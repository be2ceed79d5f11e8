import { type FormEvent, useId, useState } from "react";
import { api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { ErrorNotice } from "../components/Feedback.tsx";
import { useAction } from "../components/useAction.ts";
import { navigate } from "../router.ts";
import { Logo } from "./SignIn.tsx";

/**
 * The pages emailed links open (docs/sso-mfa.md): /signup/verify?token=sup_… finishes a sign-up,
 * /reset-password asks for a reset link, and /reset-password?token=pwr_… sets the new password.
 */
export function AccountLink({ path }: { path: string }) {
  const token = new URLSearchParams(location.search).get("token") ?? "";
  return (
    <div className="auth">
      <div className="auth-brand">
        <Logo />
      </div>
      <main className="auth-card" id="main">
        {path === "/signup/verify" ? (
          <FinishSignUp token={token} />
        ) : token ? (
          <NewPassword token={token} />
        ) : (
          <RequestReset />
        )}
      </main>
    </div>
  );
}

function FinishSignUp({ token }: { token: string }) {
  const { signIn } = useAppState();
  const { error, busy, submit } = useAction();

  async function finish() {
    await submit(async () => {
      signIn(await api.verifySignUp(token));
      navigate("/", { replace: true });
    });
  }

  return (
    <>
      <h1>Finish signing up</h1>
      <ErrorNotice error={error} />
      <button type="button" className="btn btn-primary btn-block" onClick={finish} disabled={busy || !token}>
        Create my account
      </button>
    </>
  );
}

function RequestReset() {
  const id = useId();
  const [error, setError] = useState<unknown>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    setError(null);
    try {
      await api.requestPasswordReset(email);
      setSentTo(email);
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <>
      <h1>Reset your password</h1>
      {sentTo ? (
        <p role="status">
          If <strong>{sentTo}</strong> has an account, a link to reset its password is on its way.
        </p>
      ) : (
        <form onSubmit={submit} className="stack">
          <div className="field">
            <label htmlFor={`${id}-email`}>Email</label>
            <input id={`${id}-email`} name="email" type="email" autoComplete="email" required />
          </div>
          <ErrorNotice error={error} />
          <button type="submit" className="btn btn-primary btn-block">
            Email me a link
          </button>
        </form>
      )}
      <p className="muted">
        <a href="/">Back to sign in</a>
      </p>
    </>
  );
}

function NewPassword({ token }: { token: string }) {
  const id = useId();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setError(null);
    try {
      await api.confirmPasswordReset(token, password);
      setDone(true);
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <>
      <h1>Choose a new password</h1>
      {done ? (
        <p role="status">
          Your password is changed and every sign-in has ended. <a href="/">Sign in</a> with the new one.
        </p>
      ) : (
        <form onSubmit={submit} className="stack">
          <div className="field">
            <label htmlFor={`${id}-password`}>New password</label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
            />
          </div>
          <ErrorNotice error={error} />
          <button type="submit" className="btn btn-primary btn-block">
            Set password
          </button>
        </form>
      )}
    </>
  );
}
