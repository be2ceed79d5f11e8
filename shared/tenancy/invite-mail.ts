import type { CreatedInvite } from "../contract/tenancy.ts";
import type { Db } from "../db/client.ts";
import { type EmailClient, EmailSendError } from "../email/client.ts";
import { inviteEmail } from "../email/invite-email.ts";
import type { Logger } from "../logger.ts";
import { requireOrganization } from "./organizations.ts";

/**
 * Emails a fresh invite's link (after the response: the invite exists and its token is in the answer
 * either way, so a failed send costs the inviter a copy-paste, not the invite). The invite id is the
 * idempotency key: a retried send reaches the invitee once. Addresses are not logged.
 */
export async function mailInvite(
  deps: { db: Db; mail: EmailClient; publicUrl: string; logger: Logger },
  orgId: string,
  created: CreatedInvite,
): Promise<void> {
  const inviteId = created.invite.id;
  try {
    const org = await requireOrganization(deps.db, orgId);
    const message = inviteEmail({
      to: created.invite.email,
      orgName: org.name,
      publicUrl: deps.publicUrl,
      token: created.token,
      expiresAt: created.invite.expiresAt,
    });
    const { id } = await deps.mail.send(message, inviteId);
    deps.logger.info("invite emailed", { inviteId, providerId: id });
  } catch (error) {
    const status = error instanceof EmailSendError ? error.status : null;
    deps.logger.error("invite email failed", { inviteId, status, error: String(error) });
  }
}
