import type { SessionLinks } from "../../../shared/sessions/export.ts";

/** The URLs exports, Jira issues and screenshot events link to (API paths and the dashboard's session page). */
export function sessionLinks(publicUrl: string): SessionLinks {
  const origin = publicUrl.replace(/\/+$/, "");
  return {
    origin,
    screenshotPath: (sessionId, shotId) => `/v1/sessions/${sessionId}/screenshots/${shotId}`,
    sessionPage: (sessionId) => `${origin}/sessions/${sessionId}`,
  };
}
