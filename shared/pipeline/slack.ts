/**
 * A small typed client for Slack incoming webhooks (https://api.slack.com/messaging/webhooks), the
 * Slack channel of outreach: an organisation adds its incoming-webhook URL as an outbound endpoint
 * subscribed to `outreach.send`, and outbound.ts posts a Slack message there instead of a signed
 * Standard Webhooks body. Slack answers 200 with the text `ok`; anything else is a failure the queue
 * retries (4xx bodies such as `no_service` or `invalid_payload` name the reason).
 */

const SLACK_HOSTS = new Set(["hooks.slack.com", "hooks.slack-gov.com"]);
const TIMEOUT_MS = 10_000;
/** Slack truncates a section's text at 3,000 characters; keep well under it. */
const MAX_TEXT = 2_900;

export type SlackMessage = {
  /** The notification's plain text (also what clients show when blocks cannot be rendered). */
  text: string;
  blocks?: { type: "section"; text: { type: "mrkdwn"; text: string } }[];
};

export type OutreachForSlack = {
  leadId: string;
  email: string;
  name: string | null;
  persona: string | null;
  experimentId: string;
  variantKey: string;
  subject: string;
  body: string;
};

export class SlackError extends Error {
  readonly status: number;
  constructor(status: number, reason: string) {
    super(`Slack webhook refused the message: HTTP ${status} ${reason}`.trim());
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

/** Slack's mrkdwn treats `&`, `<` and `>` as control characters; everything else is literal. */
const mrkdwn = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/** The outreach as a Slack message: who, which variant, and the subject and body to send. */
export function outreachMessage(send: OutreachForSlack): SlackMessage {
  const who = `${send.name ? `${mrkdwn(send.name)} ` : ""}<mailto:${mrkdwn(send.email)}|${mrkdwn(send.email)}>`;
  const persona = send.persona ? ` (${send.persona.replace(/_/g, " ")})` : "";
  const head = `Outreach to ${who}${persona}: variant *${mrkdwn(send.variantKey)}* of experiment ${send.experimentId}`;
  return {
    text: clip(`Outreach to ${send.email}: ${send.subject}`),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: clip(head) } },
      {
        type: "section",
        text: { type: "mrkdwn", text: clip(`*${mrkdwn(send.subject)}*\n${mrkdwn(send.body)}`) },
      },
    ],
  };
}

/** Posts one message; resolves when Slack answered `ok`, throws SlackError otherwise. */
export async function postSlackMessage(
  fetchFn: typeof fetch,
  webhookUrl: string,
  message: SlackMessage,
): Promise<void> {
  if (!isSlackWebhook(webhookUrl)) throw new SlackError(0, "not a Slack incoming-webhook URL");
  const res = await fetchFn(webhookUrl, {
    method: "POST",
    redirect: "manual",
    signal: AbortSignal.timeout(TIMEOUT_MS),
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(message),
  }).catch((error: unknown) => {
    throw new SlackError(0, String(error));
  });
  const text = (await res.text().catch(() => "")).slice(0, 200);
  if (res.status !== 200 || text.trim() !== "ok") throw new SlackError(res.status, text);
}
