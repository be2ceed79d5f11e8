import { api } from "../helpers.ts";

/** `POST /v1/heal` as a client sends it (docs/heal-api.md). */
export function postHeal(token: string, body: unknown) {
  return api("/v1/heal", { method: "POST", token, json: body });
}

/** `POST /v1/heal/{attemptId}/feedback`: the verdict on one attempt (docs/heal-api.md). */
export function postFeedback(token: string, attemptId: string, verdict: unknown) {
  return api(`/v1/heal/${attemptId}/feedback`, { method: "POST", token, json: verdict });
}
