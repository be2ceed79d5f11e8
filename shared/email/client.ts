import { z } from "zod";

/**
 * A small typed client for an HTTP mail provider with the Resend API shape (`POST {apiUrl}/emails`,
 * Bearer key, JSON `{from, to[], subject, text, html?}`, answer `{id}`), which several providers and
 * self-hosted relays accept. Configured by EMAIL_API_URL / EMAIL_API_KEY / EMAIL_FROM (workers/env.ts);
 * without them Shifty sends nothing and the dashboard shows links to copy (docs/email.md).
 */
export type EmailMessage = { to: string; subject: string; text: string; html?: string };

export type EmailSettings = { apiUrl: string; apiKey: string; from: string };

export type EmailClient = {
  /** Sends one message; the idempotency key makes a retried send deliver once. */
  send(message: EmailMessage, idempotencyKey: string): Promise<{ id: string }>;
};

/** Why a send failed; `retryable` for 429/5xx/timeouts (try later), not for a refused message. */
export class EmailSendError extends Error {
  readonly status: number | null;
  readonly retryable: boolean;
  constructor(message: string, status: number | null, retryable: boolean) {
    super(message);
    this.name = "EmailSendError";
    this.status = status;
    this.retryable = retryable;
  }
}

const sentSchema = z.object({ id: z.string().min(1) });
const SEND_TIMEOUT_MS = 10_000;

export function httpEmailClient(settings: EmailSettings, fetchFn: typeof fetch = fetch): EmailClient {
  const endpoint = `${settings.apiUrl.replace(/\/+$/, "")}/emails`;
  return {
    async send(message, idempotencyKey) {
      let res: Response;
      try {
        res = await fetchFn(endpoint, {
          method: "POST",
          // The provider is the operator's choice, but a redirect must not carry the key elsewhere.
          redirect: "manual",
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
          headers: {
            authorization: `Bearer ${settings.apiKey}`,
            "content-type": "application/json",
            "idempotency-key": idempotencyKey,
          },
          body: JSON.stringify({
            from: settings.from,
            to: [message.to],
            subject: message.subject,
            text: message.text,
            ...(message.html ? { html: message.html } : {}),
          }),
        });
      } catch (error) {
        throw new EmailSendError(`mail provider unreachable: ${(error as Error).name}`, null, true);
      }
      if (!res.ok) {
        const retryable = res.status === 429 || res.status >= 500;
        throw new EmailSendError(`mail provider answered ${res.status}`, res.status, retryable);
      }
      const parsed = sentSchema.safeParse(await res.json().catch(() => null));
      if (!parsed.success)
        throw new EmailSendError("mail provider answered without an id", res.status, false);
      return parsed.data;
    },
  };
}
