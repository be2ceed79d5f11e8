import { checkOutboundUrl, fetchNoRedirect } from "../../net/outbound-url.ts";
import type { WorkflowDeps } from "./deps.ts";

/**
 * A workflow's notification: one JSON POST to the organisation's notification URL, in the shape Slack
 * and Microsoft Teams incoming webhooks accept (`text`), with the structured result beside it under
 * `shifty` for any other receiver. The URL passed the outbound policy when it was saved and is checked
 * again here (the policy may have tightened since).
 */
export async function notify(
  deps: WorkflowDeps,
  url: string | null | undefined,
  text: string,
  detail: Record<string, unknown>,
): Promise<string> {
  if (!url) return "no notification URL set";
  const verdict = checkOutboundUrl(url, { allowLoopback: deps.allowLoopback });
  if (!verdict.ok) return `notification URL refused: ${verdict.reason}`;
  const res = await fetchNoRedirect(deps.fetch)(verdict.url.toString(), {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "shifty-ai" },
    body: JSON.stringify({ text, shifty: detail }),
    signal: AbortSignal.timeout(10_000),
  });
  await res.body?.cancel();
  // A failure is thrown so the run is retried (the consumer's back-off), not silently lost.
  if (!res.ok) throw new Error(`notification answered ${res.status}`);
  return "notified";
}
