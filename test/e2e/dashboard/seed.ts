import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { APIRequestContext, Page } from "@playwright/test";
import { apiAs, currentProjectId, healAndRecord, postGithubPush } from "./helpers.ts";

/** The ids a walk over every screen needs, so detail pages show real rows rather than empty states. */
export type Seeded = {
  orgId: string;
  projectId: string;
  failedRunId: string;
  testId: string;
  clusterId: string;
  sessionId: string;
  eventId: string;
  endpointId: string;
  generationId: string;
};

const fixture = (name: string) => readFile(new URL(`../../fixtures/ci/${name}`, import.meta.url), "utf8");
/** A small exploration of a groceries list (one interaction), as `shifty generate` would send it. */
export const groceriesExploration = async () =>
  JSON.parse(
    await readFile(new URL("../../fixtures/generation/groceries.json", import.meta.url), "utf8"),
  ) as unknown;
type Page_<T> = { items: T[] };

/**
 * Fills the signed-in user's organisation through the real API: three CI runs (one failing its gate, one
 * with flaky results), recorded heals waiting for review, a session, a GitHub source with one signed
 * event, a test generation, an outbound endpoint that no event matches (so nothing is delivered off the machine), an API key,
 * Jira settings and a Slack rule, and a pending invite.
 */
export async function seedOrg(page: Page, request: APIRequestContext): Promise<Seeded> {
  const projectId = await currentProjectId(page);
  const { call, orgId } = await apiAs(page, request);

  const upload = async (file: string, contentType: string, commit: string) =>
    call<{ id: string }>(
      "POST",
      `/v1/projects/${projectId}/runs?branch=main&commit=${commit}&provider=github&buildId=b-${commit}`,
      { raw: await fixture(file), contentType },
    );
  const failed = await upload("jest-junit.xml", "application/xml", "a1b2c3d4e5f6a7b8");
  await upload("surefire.xml", "application/xml", "b1b2c3d4e5f6a7b8");
  await upload("playwright.json", "application/json", "c1b2c3d4e5f6a7b8");
  const flaky = await call<Page_<{ id: string }>>("GET", `/v1/projects/${projectId}/flaky`);
  const clusters = await call<Page_<{ id: string }>>("GET", `/v1/projects/${projectId}/clusters`);

  const dom = `<html><body><main><button data-testid="buy">Buy now</button></main></body></html>`;
  await healAndRecord(call, projectId, {
    dom,
    previousDom: dom.replace("data-testid", 'id="buy" data-testid'),
    testTitle: "buys a single item",
    location: "tests/checkout.spec.ts:12:11",
    confidence: 0.8,
    healedSelector: '[data-testid="buy"]',
  });

  const session = await call<{ id: string }>("POST", `/v1/projects/${projectId}/sessions`, {
    json: {
      title: "Checkout exploration",
      charter: "Try every coupon",
      environment: "staging",
      timeboxMinutes: 45,
    },
  });

  const source = await call<{ id: string; secret: string }>("POST", "/v1/webhook-sources", {
    json: { provider: "github", name: "shop repository", environment: "stg" },
  });
  await postGithubPush(request, source);
  const events = await call<Page_<{ id: string }>>("GET", "/v1/webhook-events");
  const endpoint = await call<{ id: string }>("POST", "/v1/webhook-endpoints", {
    json: { url: "https://hooks.example.com/shifty", eventTypes: ["jira.*"], description: "Jira mirror" },
  });

  const generation = await call<{ id: string }>("POST", `/v1/projects/${projectId}/generations`, {
    json: { exploration: await groceriesExploration() },
  });

  await call("POST", "/v1/api-keys", { json: { name: "CI uploader", permissions: ["runs:write"] } });
  // Project settings with Jira and a Slack rule stored (saving calls out to neither; nothing emits
  // incident.opened here, so Slack is never posted to).
  await call("PUT", `/v1/projects/${projectId}/integrations/jira`, {
    json: {
      host: "acme.atlassian.net",
      email: "qa@acme.test",
      apiToken: "atl-seed-token-1234",
      projectKey: "QA",
    },
  });
  await call("POST", `/v1/projects/${projectId}/notification-rules`, {
    json: {
      name: "QA channel",
      eventTypes: ["incident.opened"],
      slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/e2eseed",
    },
  });
  await call("POST", "/v1/invites", {
    json: { email: `invitee.${randomUUID().slice(0, 8)}@e2e.shifty.test`, role: "viewer" },
  });

  return {
    orgId,
    projectId,
    failedRunId: failed.id,
    testId: flaky.items[0]!.id,
    clusterId: clusters.items[0]!.id,
    sessionId: session.id,
    eventId: events.items[0]!.id,
    endpointId: endpoint.id,
    generationId: generation.id,
  };
}
