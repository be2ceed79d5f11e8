import type { EmailMessage } from "./client.ts";

/** The invite as an email: the same link the dashboard offers to copy (web/src/screens/Members.tsx). */
export function inviteEmail(input: {
  to: string;
  orgName: string;
  publicUrl: string;
  token: string;
  expiresAt: number;
}): EmailMessage {
  const link = `${input.publicUrl.replace(/\/+$/, "")}/join?token=${encodeURIComponent(input.token)}`;
  const expires = new Date(input.expiresAt).toUTCString();
  return {
    to: input.to,
    subject: `You are invited to ${input.orgName} on Shifty`,
    text: `You have been invited to join ${input.orgName} on Shifty.\n\nAccept: ${link}\n\nThe link works once and expires ${expires}. If you did not expect it, ignore this email.`,
  };
}
