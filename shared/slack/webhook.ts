import { checkOutboundUrl } from "../net/outbound-url.ts";

/**
 * The one client for Slack incoming webhooks (https://api.slack.com/messaging/webhooks), used by the
 * notification rules (docs/notifications.md) and by outreach to a Slack endpoint (docs/pipeline.md):
 * one JSON POST of `{ text, blocks }`, a 10 s timeout, no redirects. Slack answers 200 with the text
 * `ok`; anything else is a SlackError naming Slack's reason (`invalid_payload`, `no_service`, …).
 * Only Slack's webhook hosts are called, plus any URL the outbound policy (shared/net/outbound-url.ts)
 * passes when local development allows loopback (a local fake Slack).
 */

const SLACK_HOSTS = new Set(["hooks.slack.com", "hooks.slack-gov.com"]);
const TIMEOUT_MS = 10_000;

export type SlackMessage = {
  /** The notification's plain text (also what clients show when blocks cannot be rendered). */
  text: string;
  blocks?: { type: "section"; text: { type: "mrkdwn"; text: string } }[];
};

export type SlackDeps = { fetch: typeof fetch; allowLoopback: boolean };

export class SlackError extends Error {
  /** Slack's HTTP status; null when the message was not sent or no answer came. */
  readonly status: number | null;
  constructor(status: number | null, reason: string) {
    super(
      status === null
        ? `Slack webhook not reached: ${reason}`
        : `Slack webhook refused the message: HTTP ${status} ${reason}`.trim(),
    );
    this.name = "SlackError";
    this.status = status;
  }
}

/** True for a Slack incoming-webhook URL (`https://hooks.slack.com/services/…`). */
export function isSlackWebhook(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === "https:" &&
      SLACK_HOSTS.has(parsed.hostname) &&
      parsed.pathname.startsWith("/services/")
    );
  } catch {
    return false;
  }
}

const allowed = (deps: SlackDeps, url: string) =>
  isSlackWebhook(url) || (deps.allowLoopback && checkOutboundUrl(url, { allowLoopback: true }).ok);

/** Posts one message; resolves when Slack answered `ok`, throws SlackError otherwise. */
export async function postSlackMessage(deps: SlackDeps, webhookUrl: string, message: SlackMessage) {
  if (!allowed(deps, webhookUrl)) throw new SlackError(null, "not a Slack incoming-webhook URL");
  const res = await deps
    .fetch(webhookUrl, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { "content-type": "application/json; charset=utf-8", "user-agent": "Shifty/1" },
      body: JSON.stringify(message),
    })
    .catch((error: unknown) => {
      throw new SlackError(null, String(error));
    });
  const text = (await res.text().catch(() => "")).slice(0, 200);
  if (res.status !== 200 || text.trim() !== "ok") throw new SlackError(res.status, text);
}
