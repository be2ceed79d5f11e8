import { env } from "cloudflare:workers";
import { saveButtonRenamed } from "../healing-api/heal-fixtures.ts";
import { api, newTenant, setPlan, type Tenant } from "../helpers.ts";
import { standardSignature } from "../webhooks/helpers.ts";

/** The calling tenant and the credentials the matrix uses against every operation. */
export type Caller = {
  tenant: Tenant;
  /** An owner API key: every permission. */
  ownerKey: string;
  /** The owner's session token; the owner is also a platform admin, so it holds every right there is. */
  adminSession: string;
  /** A key whose expiry has passed. */
  expiredKey: string;
  /** A key that has been revoked. */
  revokedKey: string;
  /** `keyHolding(permission)`: a key of the same org with that single permission (minted once). */
  keyHolding: (permission: string) => Promise<string>;
};

async function json<T>(res: Response | Promise<Response>, what: string, ok = [200, 201, 202]): Promise<T> {
  const response = await res;
  if (!ok.includes(response.status)) {
    throw new Error(`matrix fixture: ${what} answered ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as T;
}

async function mintKey(t: Tenant, body: Record<string, unknown>) {
  return json<{ key: string; apiKey: { id: string } }>(
    api("/v1/api-keys", { method: "POST", token: t.token, json: { name: "matrix", ...body } }),
    "minting an API key",
  );
}

export async function createCaller(): Promise<Caller> {
  const tenant = await newTenant("Caller");
  // The matrix sends a few hundred requests: keep the caller clear of its plan's rate limits.
  await setPlan(tenant.orgId, "enterprise");
  await env.DB.prepare("UPDATE users SET is_platform_admin = 1 WHERE id = ?").bind(tenant.userId).run();
  const [owner, expired, revoked] = await Promise.all([
    mintKey(tenant, {}),
    mintKey(tenant, { name: "expired" }),
    mintKey(tenant, { name: "revoked" }),
  ]);
  // The API refuses an expiry in the past, so age the (never used, hence uncached) key in the database.
  await env.DB.prepare("UPDATE api_keys SET expires_at = ? WHERE id = ?")
    .bind(Date.now() - 60_000, expired.apiKey.id)
    .run();
  const revoke = await api(`/v1/api-keys/${revoked.apiKey.id}`, { method: "DELETE", token: tenant.token });
  if (revoke.status !== 204) throw new Error(`matrix fixture: revoking a key answered ${revoke.status}`);
  const minted = new Map<string, Promise<string>>();
  return {
    tenant,
    ownerKey: owner.key,
    adminSession: tenant.token,
    expiredKey: expired.key,
    revokedKey: revoked.key,
    keyHolding(permission) {
      let key = minted.get(permission);
      if (!key) {
        key = mintKey(tenant, { name: `only ${permission}`, permissions: [permission] }).then((k) => k.key);
        minted.set(permission, key);
      }
      return key;
    },
  };
}

const FAILING_JUNIT =
  '<?xml version="1.0"?><testsuites><testsuite name="matrix.Spec">' +
  '<testcase classname="matrix.Spec" name="breaks" time="0.1">' +
  '<failure message="expected 1 to be 2" type="AssertionError">at check (spec/breaks.ts:1:1)</failure>' +
  "</testcase></testsuite></testsuites>";

/**
 * Another tenant and one real resource of each kind it can make cheaply, by id prefix. Prefixes missing
 * here (a trained model, …) are filled with well-formed unknown ids by the matrix.
 */
export async function createForeignResources(): Promise<{ tenant: Tenant; ids: Map<string, string> }> {
  const t = await newTenant("Other");
  const as = { token: t.apiKey };
  const post = <T>(path: string, body: unknown, what: string) =>
    json<T>(api(path, { method: "POST", ...as, json: body }), what);
  /** Uploads a tiny PNG (signature and one byte) to `path`. */
  const postPng = (path: string, what: string) =>
    json<{ id: string }>(
      api(path, {
        method: "POST",
        ...as,
        body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]),
        headers: { "content-type": "image/png" },
      }),
      what,
    );
  const ids = new Map<string, string>([
    ["prj", t.projectId],
    ["usr", t.userId],
  ]);

  const tenancy = async () => {
    const keys = await json<{ items: { id: string }[] }>(api("/v1/api-keys", as), "listing keys");
    ids.set("key", keys.items[0]!.id);
    const invite = await post<{ invite: { id: string } }>(
      "/v1/invites",
      { email: `invitee${Date.now()}@example.com`, role: "member" },
      "inviting",
    );
    ids.set("inv", invite.invite.id);
    const role = await post<{ id: string }>(
      "/v1/roles",
      { name: "Matrix auditor", permissions: ["audit:read"] },
      "creating a role",
    );
    ids.set("rol", role.id);
    const exported = await post<{ id: string }>("/v1/org/exports", {}, "starting an export");
    ids.set("oex", exported.id);
  };

  const sessions = async () => {
    const session = await post<{ id: string }>(
      `/v1/projects/${t.projectId}/sessions`,
      { title: "Matrix session", charter: "Matrix", environment: "staging", timeboxMinutes: 30 },
      "creating a session",
    );
    ids.set("ses", session.id);
    const finding = await post<{ data: { findingId: string } }>(
      `/v1/sessions/${session.id}/events`,
      { type: "finding", severity: "minor", title: "Matrix finding" },
      "posting a finding",
    );
    ids.set("fnd", finding.data.findingId);
    const shot = await postPng(`/v1/sessions/${session.id}/screenshots`, "uploading a screenshot");
    ids.set("shot", shot.id);
  };

  const webhooks = async () => {
    const source = await post<{ id: string; url: string; secret: string }>(
      "/v1/webhook-sources",
      { provider: "standard", name: "Matrix source" },
      "creating a webhook source",
    );
    ids.set("src", source.id);
    const body = '{"type":"matrix.ping","data":{"id":1}}';
    const ts = Math.floor(Date.now() / 1000);
    const event = await json<{ id: string }>(
      api(source.url, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "webhook-id": `msg_matrix_${ts}`,
          "webhook-timestamp": String(ts),
          "webhook-signature": standardSignature(source.secret, `msg_matrix_${ts}`, ts, body),
        },
      }),
      "ingesting a webhook",
    );
    ids.set("evt", event.id);
    const endpoint = await post<{ id: string }>(
      "/v1/webhook-endpoints",
      // Subscribed to an event type the fixture never sends: nothing is delivered anywhere.
      { url: "https://hooks.matrix.example/in", eventTypes: ["github.pull_request"] },
      "creating a webhook endpoint",
    );
    ids.set("whe", endpoint.id);
  };

  const ci = async () => {
    const run = await json<{ id: string }>(
      api(`/v1/projects/${t.projectId}/runs`, {
        method: "POST",
        ...as,
        body: FAILING_JUNIT,
        headers: { "content-type": "application/xml" },
      }),
      "uploading a run",
    );
    ids.set("run", run.id);
    const [tests, clusters] = await Promise.all([
      json<{ items: { id: string }[] }>(api(`/v1/projects/${t.projectId}/tests`, as), "listing tests"),
      json<{ items: { id: string }[] }>(api(`/v1/projects/${t.projectId}/clusters`, as), "listing clusters"),
    ]);
    if (tests.items[0]) ids.set("tst", tests.items[0].id);
    if (clusters.items[0]) ids.set("cls", clusters.items[0].id);
    const results = await json<{ items: { id: string }[] }>(
      api(`/v1/runs/${run.id}/results`, as),
      "listing results",
    );
    ids.set("res", results.items[0]!.id);
    const artifact = await postPng(
      `/v1/runs/${run.id}/results/${results.items[0]!.id}/artifacts`,
      "uploading a failure artifact",
    );
    ids.set("art", artifact.id);
  };

  const healing = async () => {
    const heal = await post<{ attemptId: string }>(
      "/v1/heal",
      { selector: "#save", ...saveButtonRenamed, projectId: t.projectId },
      "healing",
    );
    ids.set("hea", heal.attemptId);
    const locator = await post<{ id: string }>(
      `/v1/projects/${t.projectId}/heals`,
      {
        testFile: "tests/matrix.spec.ts",
        testTitle: "matrix › saves",
        location: "tests/matrix.spec.ts:1:1",
        originalSelector: "#save",
        healedSelector: "#save-v2",
        healedLocator: 'locator("#save-v2")',
        confidence: 0.97,
        attemptId: heal.attemptId,
      },
      "recording a heal",
    );
    ids.set("hlc", locator.id);
  };

  // Project integrations make their GET routes answer 200 for the owner; set up after the run upload,
  // so that upload does not try to report to GitHub.
  const integrations = async () => {
    const put = (path: string, body: unknown) =>
      json(api(path, { method: "PUT", ...as, json: body }), `configuring ${path}`);
    await Promise.all([
      put(`/v1/projects/${t.projectId}/integrations/github`, {
        token: "ghp_matrixmatrixmatrixmatrix",
        owner: "acme",
        repo: "shop",
      }),
      put(`/v1/projects/${t.projectId}/integrations/jira`, {
        host: "https://acme.atlassian.net/",
        email: "qa@acme.test",
        apiToken: "atl-matrix-9876",
        projectKey: "QA",
      }),
    ]);
  };

  await Promise.all([tenancy(), sessions(), webhooks(), ci(), healing()]);
  await integrations();
  return { tenant: t, ids };
}
