import { api, type Tenant } from "../helpers.ts";

/** `POST /v1/heal` as a client sends it (docs/heal-api.md). */
export function postHeal(token: string, body: unknown) {
  return api("/v1/heal", { method: "POST", token, json: body });
}

/** `POST /v1/heal/{attemptId}/feedback`: the verdict on one attempt (docs/heal-api.md). */
export function postFeedback(token: string, attemptId: string, verdict: unknown) {
  return api(`/v1/heal/${attemptId}/feedback`, { method: "POST", token, json: verdict });
}

/** `POST /v1/projects/{projectId}/heals`: records a healed locator (docs/heal-review.md). */
export function recordHeal(t: Tenant, body: unknown, token = t.apiKey) {
  return api(`/v1/projects/${t.projectId}/heals`, { method: "POST", token, json: body });
}
