import { checkOutboundUrl } from "../net/outbound-url.ts";

/**
 * A small client for Slack incoming webhooks (docs/notifications.md): one JSON POST of `{ text,
 * blocks }`; Slack answers 200 `ok`, or 4xx with a reason in the body (`invalid_payload`,
 * `no_service`, …). Every URL passes the outbound-URL policy (shared/net/outbound-url.ts) first.
 */

export type SlackMessage = {
  text: string;
  blocks?: { type: "section"; text: { type: "mrkdwn"; text: string } }[];
};

export class SlackError extends Error {
  readonly status: number | null;
  constructor(message: string, status: number | null) {
    super(message);
    this.name = "SlackError";
    this.status = status;
  }
}

const TIMEOUT_MS = 10_000;

export type SlackOptions = { fetch: typeof fetch; allowLoopback: boolean };

export class SlackClient {
  private readonly options: SlackOptions;
  constructor(options: SlackOptions) {
    this.options = options;
  }

  async post(webhookUrl: string, message: SlackMessage): Promise<void> {
    const verdict = checkOutboundUrl(webhookUrl, { allowLoopback: this.options.allowLoopback });
    if (!verdict.ok) throw new SlackError(`The Slack webhook URL is not allowed: ${verdict.reason}`, null);
    let res: Response;
    try {
      res = await this.options.fetch(verdict.url.toString(), {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Shifty-Notifications/1" },
        body: JSON.stringify(message),
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new SlackError(`Slack did not answer: ${(error as Error).name}`, null);
    }
    const body = (await res.text()).slice(0, 200);
    if (!res.ok) throw new SlackError(`Slack refused the message: ${res.status} ${body}`, res.status);
  }
}

/** `hooks.slack.com/…/ab12`: recognisable without being usable. */
export function webhookHint(url: string): string {
  const u = new URL(url);
  return `${u.host}/…/${u.pathname.slice(-4)}`;
}
