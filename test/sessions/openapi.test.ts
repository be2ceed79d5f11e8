import { describe, expect, it } from "vitest";
import { api } from "../helpers.ts";

describe("sessions in the OpenAPI document", () => {
  it("documents every sessions endpoint", async () => {
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const expected: [string, string][] = [
      ["/v1/projects/{projectId}/sessions", "post"],
      ["/v1/projects/{projectId}/sessions", "get"],
      ["/v1/sessions", "get"],
      ["/v1/sessions/{sessionId}", "get"],
      ["/v1/sessions/{sessionId}", "patch"],
      ["/v1/sessions/{sessionId}/end", "post"],
      ["/v1/sessions/{sessionId}/participants", "get"],
      ["/v1/sessions/{sessionId}/events", "get"],
      ["/v1/sessions/{sessionId}/events", "post"],
      ["/v1/sessions/{sessionId}/token", "post"],
      ["/v1/sessions/{sessionId}/live", "get"],
      ["/v1/sessions/{sessionId}/screenshots", "post"],
      ["/v1/sessions/{sessionId}/screenshots/{shotId}", "get"],
      ["/v1/projects/{projectId}/integrations/jira", "put"],
      ["/v1/projects/{projectId}/integrations/jira", "get"],
      ["/v1/sessions/{sessionId}/findings/{findingId}/jira", "post"],
      ["/v1/sessions/{sessionId}/export", "get"],
    ];
    for (const [path, method] of expected)
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });
});
