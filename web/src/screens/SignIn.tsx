import { type FormEvent, useEffect, useId, useState } from "react";
import { api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { ErrorNotice } from "../components/Feedback.tsx";
import { Field } from "../components/forms.tsx";
import { useAction } from "../components/useAction.ts";
import { SecondFactor, SsoSignIn, useCookieSignIn } from "./SignInSteps.tsx";

const NOTICE_KEY = "shifty.signin-notice";

/** A message the sign-in screen shows once, after a sign-out the dashboard made (an erased account). */
export function rememberSignInNotice(message: string) {
  sessionStorage.setItem(NOTICE_KEY, message);
}

type Mode = "signin" | "signup";
const MODES: [Mode, string][] = [
  ["signin", "Sign in"],
  ["signup", "Sign up"],
];

/** Sign in, or create an account (and its first organisation) in one step. */
export function SignIn({ intro }: { intro?: string }) {
  const [notice] = useState(() => sessionStorage.getItem(NOTICE_KEY));
  useEffect(() => sessionStorage.removeItem(NOTICE_KEY), []);
  const { signIn } = useAppState();
  const [mode, setMode] = useState<Mode>("signin");
  const { error, busy, submit: attempt } = useAction();
  const [challenge, setChallenge] = useState<string | null>(null);
  const [mailed, setMailed] = useState<string | null>(null);
  const id = useId();
  useCookieSignIn(signIn);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    await attempt(async () => {
      const session =
        mode === "signin"
          ? await api.signIn({ email, password })
          : await api.signUp({
              email,
              password,
              name: String(form.get("name") ?? ""),
              orgName: String(form.get("orgName") ?? "") || undefined,
            });
      if ("challenge" in session) {
        setChallenge(session.challenge);
      } else if ("status" in session) {
        setMailed(email);
      } else signIn(session);
    });
  }

  return (
    <div className="auth">
      <div className="auth-brand">
        <Logo />
        <p className="auth-tagline">
          Self-healing tests, CI insight and live manual sessions — in one place.
        </p>
      </div>
      <main className="auth-card" id="main">
        <h1>{mode === "signin" ? "Sign in" : "Create your account"}</h1>
        {intro && <p className="muted">{intro}</p>}
        {notice && (
          <p className="notice notice-ok" role="status">
            {notice}
          </p>
        )}
        {mailed ? (
          <p role="status">
            Check your email: we sent a message to <strong>{mailed}</strong>. Open its link to finish signing
            up.
          </p>
        ) : challenge ? (
          <SecondFactor challenge={challenge} onDone={signIn} />
        ) : (
          <>
            <div className="segmented" role="tablist" aria-label="Sign in or sign up">
              {MODES.map(([value, label]) => (
                <button
                  key={value}
                  type="button"
                  role="tab"
                  aria-selected={mode === value}
                  onClick={() => setMode(value)}
                >
                  {label}
                </button>
              ))}
            </div>
            <form onSubmit={submit} className="stack" aria-describedby={error ? `${id}-error` : undefined}>
              {mode === "signup" && (
                <div className="field">
                  <label htmlFor={`${id}-name`}>Your name</label>
                  <input id={`${id}-name`} name="name" autoComplete="name" required maxLength={100} />
                </div>
              )}
              <div className="field">
                <label htmlFor={`${id}-email`}>Email</label>
                <input id={`${id}-email`} name="email" type="email" autoComplete="email" required />
              </div>
              <div className="field">
                <label htmlFor={`${id}-password`}>Password</label>
                <input
                  id={`${id}-password`}
                  name="password"
                  type="password"
                  autoComplete={mode === "signin" ? "current-password" : "new-password"}
                  minLength={mode === "signup" ? 10 : 1}
                  required
                  aria-describedby={mode === "signup" ? `${id}-password-hint` : undefined}
                />
                {mode === "signup" && (
                  <small id={`${id}-password-hint`} className="muted">
                    At least 10 characters.
                  </small>
                )}
              </div>
              {mode === "signup" && (
                <Field id={`${id}-org`} label="Organisation name" optional>
                  <input id={`${id}-org`} name="orgName" maxLength={100} placeholder="Acme QA" />
                </Field>
              )}
              <div id={`${id}-error`}>
                <ErrorNotice error={error} />
              </div>
              <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
                {busy ? "Please wait…" : mode === "signin" ? "Sign in" : "Create account"}
              </button>
            </form>
            {mode === "signin" && (
              <p className="muted">
                <a href="/reset-password">Forgot your password?</a>
              </p>
            )}
            {mode === "signin" && <SsoSignIn />}
          </>
        )}
      </main>
    </div>
  );
}

export function Logo() {
  return (
    <span className="logo">
      <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="8" fill="currentColor" />
        <path
          d="M9 20.5c1.6 1.6 3.9 2.5 6.5 2.5 3.4 0 5.5-1.6 5.5-4 0-5.2-11-3-11-8.6C10 8 12 6.5 15.2 6.5c2.2 0 4.1.7 5.6 2"
          fill="none"
          stroke="var(--logo-ink)"
          strokeWidth="2.6"
          strokeLinecap="round"
        />
      </svg>
      <span className="logo-word">Shifty</span>
    </span>
  );
}
