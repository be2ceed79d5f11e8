import { type FormEvent, useId, useState } from "react";
import { ApiProblem, api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { ErrorNotice } from "../components/Feedback.tsx";
import {
  AuthenticatorCodeField,
  CurrentPasswordField,
  readIdentityCheck,
  TypedConfirmField,
} from "../components/forms.tsx";
import { CardSection } from "../components/Page.tsx";
import { useAction } from "../components/useAction.ts";
import { navigate } from "../router.ts";
import { rememberSignInNotice } from "./SignIn.tsx";

/**
 * GDPR erasure of the signed-in account (`DELETE /v1/me`, docs/data-lifecycle.md): the account email
 * typed to confirm, the password and, with two-factor sign-in on, a current code. Refused (409) while
 * the user is the last owner of a live organisation: those organisations are named.
 */
export function DeleteAccount({ mfaEnabled }: { mfaEnabled: boolean }) {
  const { session, orgs, signOut } = useAppState();
  const [typed, setTyped] = useState("");
  const { error, busy, submit } = useAction();
  const id = useId();
  const email = session?.user.email ?? "";
  const lastOwnerOf =
    error instanceof ApiProblem && error.status === 409
      ? error.errors.map((e) => orgs.find((o) => o.orgId === e.path)?.name ?? e.message)
      : null;

  function confirm(event: FormEvent<HTMLFormElement>) {
    const check = readIdentityCheck(event);
    submit(async () => {
      await api.deleteAccount(check);
      rememberSignInNotice("Your account was deleted and your personal data erased.");
      signOut();
      navigate("/");
    });
  }

  return (
    <CardSection title="Delete my account" danger>
      <p className="muted">
        Erases your email, name, sign-ins, two-factor settings, password-reset and single sign-on links, and
        invites sent to you; you leave every organisation and the API keys you created stop working. This
        cannot be undone. Audit logs keep their rows: they name you by your user id and a pseudonym, never by
        your email. Organisations and their data stay with their other members.
      </p>
      <form onSubmit={confirm} className="stack">
        <TypedConfirmField
          id={`${id}-email`}
          label={`Type your email “${email}” to confirm`}
          name="confirmEmail"
          value={typed}
          onChange={setTyped}
        />
        <CurrentPasswordField id={`${id}-password`} label="Your password" />
        {mfaEnabled && <AuthenticatorCodeField id={`${id}-code`} label="Authenticator code" required />}
        {lastOwnerOf ? (
          <div className="notice notice-error" role="alert">
            <strong>You are the last owner of:</strong>
            <ul aria-label="Organisations you alone own">
              {lastOwnerOf.map((name) => (
                <li key={name}>{name}</li>
              ))}
            </ul>
            <span>Transfer ownership or delete these organisations first.</span>
          </div>
        ) : (
          <ErrorNotice error={error} />
        )}
        <div>
          <button
            type="submit"
            className="btn btn-danger"
            disabled={busy || typed.trim().toLowerCase() !== email.toLowerCase()}
          >
            Delete my account
          </button>
        </div>
      </form>
    </CardSection>
  );
}
