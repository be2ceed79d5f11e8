import { type FormEvent, useId, useState } from "react";
import { api, type MfaStatus } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { CopyButton } from "../components/CopyButton.tsx";
import { ErrorNotice, Spinner } from "../components/Feedback.tsx";
import { AuthenticatorCodeField, CurrentPasswordField, readForm } from "../components/forms.tsx";
import { SecretNotice } from "../components/SecretNotice.tsx";
import { useAction } from "../components/useAction.ts";
import { useAsync } from "../components/useAsync.ts";
import { DangerZone } from "./DangerZone.tsx";

/**
 * Two-factor sign-in for me, the organisation's sign-in policy for admins (docs/sso-mfa.md), and its
 * data lifecycle: export, delete, restore (docs/data-lifecycle.md).
 */
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
      <DangerZone mfaEnabled={status.data?.enabled ?? false} />
    </section>
  );
}

function EnrolTotp({ onDone }: { onDone: () => void }) {
  const { signIn } = useAppState();
  const [secret, setSecret] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const { error, run } = useAction();
  const id = useId();

  function start() {
    run(async () => setSecret(await api.startTotp()));
  }
  function confirm(event: FormEvent<HTMLFormElement>) {
    const code = readForm(event).text("code") ?? "";
    run(async () => {
      const result = await api.confirmTotp(code);
      setCodes(result.recoveryCodes);
      signIn(result.session);
    });
  }

  if (codes) {
    return (
      <SecretNotice title="Two-factor sign-in is on: copy your recovery codes now" onDone={onDone}>
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
        <CopyButton text={codes.join("\n")} label="Copy codes" />
      </SecretNotice>
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
      <AuthenticatorCodeField id={`${id}-code`} label="First code from the app" required />
      <ErrorNotice error={error} />
      <button type="submit" className="btn btn-primary">
        Turn on
      </button>
    </form>
  );
}

function DisableTotp({ status, onDone }: { status: MfaStatus; onDone: () => void }) {
  const { signIn } = useAppState();
  const { error, run } = useAction();
  const id = useId();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Not readForm: a password is taken as typed, spaces included.
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    run(async () => {
      signIn(await api.disableTotp(password));
      onDone();
    });
  }
  return (
    <form onSubmit={submit} className="stack">
      <h2>Two-factor sign-in is on</h2>
      <p className="muted">
        {status.recoveryCodesLeft} recovery codes left. Turning it off signs you out everywhere else.
      </p>
      <CurrentPasswordField id={`${id}-password`} />
      <ErrorNotice error={error} />
      <button type="submit" className="btn btn-secondary">
        Turn off
      </button>
    </form>
  );
}

function OrgPolicy() {
  const { can, org } = useAppState();
  // No current organisation (its last one was just deleted): there is no policy to read.
  const policy = useAsync(() => (org ? api.authPolicy() : Promise.resolve(null)), [org?.orgId]);
  const { error, run } = useAction();
  if (!can("org:manage") || !policy.data) return null;
  function toggle(requireMfa: boolean) {
    run(async () => {
      await api.setAuthPolicy({ requireMfa });
      policy.reload();
    });
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
