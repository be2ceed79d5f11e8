import { type EmailClient, type EmailMessage, EmailSendError } from "../email/client.ts";
import type { Logger } from "../logger.ts";

/**
 * What the neutral sign-up and the password reset need to send mail after the response: the answer
 * must not wait on (or reveal) whether a mail went out, and a failed send is logged without the address.
 */
export type AccountMailer = {
  mail: EmailClient;
  publicUrl: string;
  logger: Logger;
  /** Runs work after the response (waitUntil). */
  defer: (work: Promise<unknown>) => void;
};

export function sendAfterResponse(mailer: AccountMailer, what: string, message: EmailMessage, key: string) {
  mailer.defer(
    mailer.mail.send(message, key).then(
      ({ id }) => mailer.logger.info(`${what} emailed`, { providerId: id }),
      (error: unknown) => {
        const status = error instanceof EmailSendError ? error.status : null;
        mailer.logger.error(`${what} email failed`, { status, error: String(error) });
      },
    ),
  );
}
