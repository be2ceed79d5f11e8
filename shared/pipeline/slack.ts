import type { SlackMessage } from "../slack/webhook.ts";

/**
 * The Slack channel of outreach: an organisation adds its incoming-webhook URL as an outbound endpoint
 * subscribed to `outreach.send`, and outbound.ts posts this message there (through the Slack client,
 * shared/slack/webhook.ts) instead of a signed Standard Webhooks body. A refusal is a failure the
 * queue retries.
 */

/** Slack truncates a section's text at 3,000 characters; keep well under it. */
const MAX_TEXT = 2_900;

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
