import { env } from "cloudflare:workers";
import type { Experiment, Lead, LeadDetail } from "../../shared/contract/pipeline.ts";
import { createDb } from "../../shared/db/client.ts";
import type { PipelineDeps } from "../../shared/pipeline/deps.ts";
import { api, rows, type Tenant } from "../helpers.ts";
import { waitFor as waitUntil } from "../wait-for.ts";

let n = 0;
/** A lead that scores 85 (QA lead 35, senior 10, company 5, 1000+ employees 15, demo 20) unless overridden. */
export const hotLead = (over: Record<string, unknown> = {}) => ({
  externalId: `crm-${Date.now()}-${n++}`,
  email: `lead${n}@acme.io`,
  name: `Lead ${n}`,
  company: "Acme",
  title: "Head of QA",
  attributes: { employees: 1200, demoRequested: true },
  ...over,
});

export async function postLeads(t: Tenant, leads: unknown[]) {
  return api("/v1/leads", { method: "POST", token: t.apiKey, json: { leads } });
}

/** POST /v1/experiments with `body` as it is (for checking what the route refuses). */
export const postExperiment = (t: Tenant, body: unknown) =>
  api("/v1/experiments", { method: "POST", token: t.apiKey, json: body });

export async function createExperiment(t: Tenant, body: Record<string, unknown> = {}) {
  const res = await postExperiment(t, {
    name: "Spring outreach",
    variants: [
      { key: "a", subject: "Hi", body: "Short" },
      { key: "b", subject: "Hello", body: "Long" },
    ],
    ...body,
  });
  if (res.status !== 201) throw new Error(`experiment: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export async function getLead(t: Tenant, id: string) {
  return (await (await api(`/v1/leads/${id}`, { token: t.apiKey })).json()) as LeadDetail;
}

export async function leadByExternal(t: Tenant, externalId: string): Promise<Lead | undefined> {
  const [row] = await rows("SELECT id FROM leads WHERE org_id = ? AND external_id = ?", t.orgId, externalId);
  return row ? getLead(t, row.id as string) : undefined;
}

export async function getExperiment(t: Tenant, id: string) {
  return (await (await api(`/v1/experiments/${id}`, { token: t.apiKey })).json()) as Experiment;
}

/** `waitFor` from test/wait-for.ts with this suite's (done, timeout) arguments. */
export const waitFor = <T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000) =>
  waitUntil(read, { until: done, timeoutMs });

export { type FakeMessage, message } from "../support/queue-message.ts";

/** The stages' collaborators for driving a stage by hand: the test D1, quiet queues and board. */
export function stageDeps(over: Partial<PipelineDeps> = {}): PipelineDeps {
  return {
    db: createDb(env.DB),
    now: Date.now,
    random: () => 0.5,
    publishScored: async () => {},
    publishOutreach: async () => {},
    notify: async () => {},
    fetch: async () => new Response(null, { status: 204 }),
    encryptionKey: env.ENCRYPTION_KEY!,
    allowLoopback: true,
    backoffScale: 1,
    ...over,
  };
}
