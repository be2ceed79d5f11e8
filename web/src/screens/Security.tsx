import { type FormEvent, useId, useState } from "react";
import { api, type MfaStatus } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { CopyButton } from "../components/CopyButton.tsx";
import { ErrorNotice, Spinner } from "../components/Feedback.tsx";
import { useAsync } from "../components/useAsync.ts";

/** Two-factor sign-in for me, and the organisation's sign-in policy for admins (docs/sso-mfa.md). */
export function Security() {
  const status = useAsync(() => api.mfaStatus(), []);
  const id = useId();
  return (
    <section className="page" aria-labelledby={`${id}-title`}>
      <header className="page-head">
        <div>
          <h1 id={`${id}-title`}>Security</h1>
          <p className="muted">Two-factor sign-in with an authenticator app (TOTP).</p>
        </div>
      </header>
      <ErrorNotice error={status.error} />
      {status.loading && !status.data && <Spinner label="Loading" />}
      {status.data && (
        <div className="card stack">
          {status.data.enabled ? (
            <DisableTotp status={status.data} onDone={status.reload} />
          ) : (
            <EnrolTotp onDone={status.reload} />
          )}
        </div>
      )}
      <OrgPolicy />
    </section>
  );
}

function EnrolTotp({ onDone }: { onDone: () => void }) {
  const { signIn } = useAppState();
  const [secret, setSecret] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const id = useId();

  async function start() {
    setError(null);
    api.startTotp().then(setSecret, setError);
  }
  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").trim();
    setError(null);
    try {
      const result = await api.confirmTotp(code);
      setCodes(result.recoveryCodes);
      signIn(result.session);
    } catch (failure) {
      setError(failure);
    }
  }

  if (codes) {
    return (
      <div className="stack">
        <h2>Two-factor sign-in is on</h2>
        <p>
          Keep these recovery codes somewhere safe. Each works once, in place of a code; they are not shown
          again.
        </p>
        <ul className="recovery-codes" aria-label="Recovery codes">
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <div>
          <CopyButton text={codes.join("\n")} label="Copy codes" />{" "}
          <button type="button" className="btn btn-primary" onClick={onDone}>
            Done
          </button>
        </div>
      </div>
    );
  }
  if (!secret) {
    return (
      <div className="stack">
        <h2>Two-factor sign-in is off</h2>
        <ErrorNotice error={error} />
        <button type="button" className="btn btn-primary" onClick={start}>
          Set up two-factor sign-in
        </button>
      </div>
    );
  }
  return (
    <form onSubmit={confirm} className="stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add Shifty to your authenticator</h2>
      <p>
        Enter this key in your app (Google Authenticator, 1Password, …), or open the link on the phone that
        has it:
      </p>
      <p>
        <code data-testid="totp-secret">{secret.secret}</code>{" "}
        <CopyButton text={secret.secret} label="Copy key" />
      </p>
      <p>
        <a href={secret.otpauthUri}>Open in an authenticator app</a>
      </p>
      <div className="field">
        <label htmlFor={`${id}-code`}>First code from the app</label>
        <input
          id={`${id}-code`}
          name="code"
          inputMode="numeric"
          pattern="[0-9]{6}"
          autoComplete="one-time-code"
          required
        />
      </div>
      <ErrorNotice error={error} />
      <button type="submit" className="btn btn-primary">
        Turn on
      </button>
    </form>
  );
}

function DisableTotp({ status, onDone }: { status: MfaStatus; onDone: () => void }) {
  const { signIn } = useAppState();
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setError(null);
    try {
      signIn(await api.disableTotp(password));
      onDone();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <form onSubmit={submit} className="stack">
      <h2>Two-factor sign-in is on</h2>
      <p className="muted">
        {status.recoveryCodesLeft} recovery codes left. Turning it off signs you out everywhere else.
      </p>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
      </div>
      <ErrorNotice error={error} />
      <button type="submit" className="btn btn-secondary">
        Turn off
      </button>
    </form>
  );
}

function OrgPolicy() {
  const { can, org } = useAppState();
  const policy = useAsync(() => api.authPolicy(), [org?.orgId]);
  const [error, setError] = useState<unknown>(null);
  if (!can("org:manage") || !policy.data) return null;
  async function toggle(requireMfa: boolean) {
    setError(null);
    api.setAuthPolicy({ requireMfa }).then(policy.reload, setError);
  }
  return (
    <div className="card stack">
      <h2>{org?.name ?? "Organisation"} sign-in policy</h2>
      <label>
        <input
          type="checkbox"
          checked={policy.data.requireMfa}
          onChange={(event) => toggle(event.currentTarget.checked)}
        />{" "}
        Require two-factor sign-in (or this organisation’s single sign-on) for every member
      </label>
      <ErrorNotice error={error} />
    </div>
  );
}
