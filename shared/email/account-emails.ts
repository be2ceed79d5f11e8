import type { EmailMessage } from "./client.ts";

/**
 * The account emails of a neutral sign-up and of a password reset (docs/sso-mfa.md). The links open
 * dashboard pages (web/src/screens/AccountLinks.tsx) that send the token back to the API.
 */
const linkTo = (publicUrl: string, path: string, token: string) =>
  `${publicUrl.replace(/\/+$/, "")}${path}?token=${encodeURIComponent(token)}`;

const until = (expiresAt: number) => new Date(expiresAt).toUTCString();

/** A mail carrying a single-use link: where it goes, the token in the link and when it expires. */
type LinkEmailInput = { to: string; publicUrl: string; token: string; expiresAt: number };

export function signUpLinkEmail(input: LinkEmailInput): EmailMessage {
  const link = linkTo(input.publicUrl, "/signup/verify", input.token);
  return {
    to: input.to,
    subject: "Confirm your email to finish signing up to Shifty",
    text: `Open this link to create your Shifty account:\n\n${link}\n\nThe link works once and expires ${until(input.expiresAt)}. If you did not sign up, ignore this email: no account is created without it.`,
  };
}

/** Sent instead of a sign-up link when the address already has an account. */
export function signUpExistingEmail(input: { to: string; publicUrl: string }): EmailMessage {
  const base = input.publicUrl.replace(/\/+$/, "");
  return {
    to: input.to,
    subject: "Someone tried to sign up to Shifty with your email",
    text: `Someone (perhaps you) tried to create a Shifty account with this address, which already has one. Nothing was changed.\n\nSign in: ${base}/\nForgot your password? Reset it from the sign-in page: ${base}/reset-password\n\nIf it was not you, you can ignore this email.`,
  };
}

export function passwordResetEmail(input: LinkEmailInput): EmailMessage {
  const link = linkTo(input.publicUrl, "/reset-password", input.token);
  return {
    to: input.to,
    subject: "Reset your Shifty password",
    text: `Open this link to choose a new password:\n\n${link}\n\nThe link works once and expires ${until(input.expiresAt)}. Setting a new password signs you out everywhere. If you did not ask for this, ignore this email: your password stays as it is.`,
  };
}
