import { createServer, type IncomingMessage, type Server } from "node:http";
import { expect, test } from "@playwright/test";
import { apiAs, currentProjectId, go, newAccount, signUp, signUpNew, watchConsole } from "./helpers.ts";

// Project settings → Jira, then "Export to Jira" from a session room. run.mjs starts the server with
// JIRA_API_URL pointing at SHIFTY_FAKE_JIRA_PORT, where this spec listens with a fake Jira Cloud that
// checks each request as the real one would (Basic auth, paths, the issue's fields).

type JiraCall = { method: string; path: string; authorization: string; body: Record<string, unknown> | null };

const JIRA_TOKEN = "atl-e2e-token-4321";
const JIRA_EMAIL = "qa@acme.test";

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : null;
}

function fakeJira(port: number): Promise<{ calls: JiraCall[]; close: () => Promise<void> }> {
  const calls: JiraCall[] = [];
  const expected = `Basic ${Buffer.from(`${JIRA_EMAIL}:${JIRA_TOKEN}`).toString("base64")}`;
  const server: Server = createServer(async (req, res) => {
    const call = {
      method: req.method ?? "",
      path: req.url ?? "",
      authorization: req.headers.authorization ?? "",
      body: await readBody(req),
    };
    calls.push(call);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (call.authorization !== expected)
      return send(401, { errorMessages: ["Client must be authenticated"] });
    if (call.method === "GET" && call.path === "/rest/api/3/myself")
      return send(200, { accountId: "5b10", displayName: "QA Bot" });
    if (call.method === "GET" && call.path === "/rest/api/3/project/QA")
      return send(200, { id: "10000", key: "QA", name: "Quality" });
    if (call.method === "POST" && call.path === "/rest/api/3/issue") {
      const fields = (call.body?.fields ?? {}) as Record<string, { key?: string; name?: string }>;
      if (fields.project?.key !== "QA" || fields.issuetype?.name !== "Bug")
        return send(400, { errors: { project: "wrong project or issue type" } });
      return send(201, { id: "10001", key: "QA-7", self: "http://jira.test/rest/api/3/issue/10001" });
    }
    send(404, { errorMessages: [`no route ${call.method} ${call.path}`] });
  });
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () =>
      resolve({ calls, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

test("configure Jira in project settings, test it, export a finding from the room, then remove it", async ({
  page,
  request,
}) => {
  const port = Number(process.env.SHIFTY_FAKE_JIRA_PORT);
  test.skip(!port, "run through test/e2e/run.mjs, which points the server's Jira at SHIFTY_FAKE_JIRA_PORT");
  const jira = await fakeJira(port);
  // The Jira and GitHub settings answer 404 until configured (the screen says "Not connected"), and the
  // export after removing Jira is an expected 422.
  const errors = watchConsole(page, {
    allowUrl: (url) => /\/integrations\/(jira|github)$|\/findings\/fnd_[0-9a-z]+\/jira$/.test(url),
  });
  page.on("dialog", (d) => d.accept());
  try {
    await signUp(page, newAccount("Jira Jo"));
    const projectId = await currentProjectId(page);
    await go(page, "Project settings");
    await expect(page).toHaveTitle(/^Project settings · /);
    const card = page.getByRole("form", { name: "Jira" });
    await expect(card.getByText("Not connected.")).toBeVisible();

    await card.getByLabel("Jira site").fill("https://acme.atlassian.net/");
    await card.getByLabel("Account email").fill(JIRA_EMAIL);
    await card.getByLabel("Project key").fill("QA");
    await card.getByLabel("API token").fill(JIRA_TOKEN);
    await card.getByRole("button", { name: "Connect Jira" }).click();
    const current = page.getByTestId("jira-current");
    await expect(current).toContainText("QA");
    await expect(current).toContainText("acme.atlassian.net");
    await expect(current).toContainText("********4321");
    await expect(page.locator("body")).not.toContainText(JIRA_TOKEN);

    await card.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("jira-check")).toContainText("Connected.");
    await expect(page.getByTestId("jira-check")).toContainText("QA Bot");
    expect(jira.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /rest/api/3/myself",
      "GET /rest/api/3/project/QA",
    ]);

    // A session with a finding, made through the API; the export happens in the room.
    const { call } = await apiAs(page, request);
    const session = await call<{ id: string }>("POST", `/v1/projects/${projectId}/sessions`, {
      json: {
        title: "Jira export",
        charter: "Find a bug worth filing",
        environment: "staging",
        timeboxMinutes: 30,
      },
    });
    await call("POST", `/v1/sessions/${session.id}/events`, {
      json: { type: "finding", severity: "major", title: "Payment hangs", description: "spinner forever" },
    });
    await page.goto(`/o/${(await apiAs(page, request)).orgId}/p/${projectId}/sessions/${session.id}`);
    await expect(page.getByRole("heading", { level: 1, name: "Jira export" })).toBeVisible();
    await expect(page.getByTestId("timebox")).toHaveText(/^\d\d:\d\d left$/);
    await page.getByRole("button", { name: "Export to Jira" }).click();
    await expect(page.getByText("Jira QA-7")).toBeVisible();
    const created = jira.calls.find((c) => c.method === "POST");
    const fields = created?.body?.fields as Record<string, unknown>;
    expect(fields.summary).toBe("[major] Payment hangs");
    expect(fields.labels).toEqual(["shifty", "severity-major"]);
    expect((fields.description as { type: string }).type).toBe("doc");

    // Removing the settings: the card says so, and a new export is refused plainly.
    await go(page, "Project settings");
    await card.getByRole("button", { name: "Remove" }).click();
    await expect(card.getByText("Not connected.")).toBeVisible();
    await expect(page.getByText("Jira removed.")).toBeVisible();
    await call("POST", `/v1/sessions/${session.id}/events`, {
      json: { type: "finding", severity: "minor", title: "Typo in footer" },
    });
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1, name: "Jira export" })).toBeVisible();
    const typo = page.locator(".finding", { hasText: "Typo in footer" });
    await typo.getByRole("button", { name: "Export to Jira" }).click();
    await expect(typo.getByRole("alert")).toContainText("Jira is not configured for this project");
    await typo.getByRole("link", { name: "Connect Jira in Project settings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Project settings" })).toBeVisible();
    expect(jira.calls.filter((c) => c.method === "POST")).toHaveLength(1);
  } finally {
    await jira.close();
  }
  expect(errors).toEqual([]);
});

test("create an API key with chosen scopes and an expiry; the list shows both and the server holds to them", async ({
  page,
  request,
}) => {
  const { errors } = await signUpNew(page, "Scoped Sam", { acceptDialogs: true });
  const projectId = await currentProjectId(page);
  await go(page, "API keys");
  const form = page.getByRole("form", { name: "New API key" });
  await form.getByLabel("Key name").fill("Run uploader");
  await form.getByLabel("Expires").selectOption("30");
  await form.getByLabel(/Only chosen scopes/).check();
  await form.getByRole("checkbox", { name: "runs:read" }).check();
  await form.getByRole("checkbox", { name: "runs:write" }).check();
  await form.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("new-api-key").inputValue();
  expect(key).toMatch(/^shf_/);

  const row = page.getByRole("row", { name: /Run uploader/ });
  await expect(row.getByTestId("key-scopes")).toContainText("runs:read");
  await expect(row.getByTestId("key-scopes")).toContainText("runs:write");
  const in30 = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const in30Late = new Date(Date.now() + 30 * 86_400_000 + 60_000).toISOString().slice(0, 10);
  await expect(row.locator("time")).toContainText(new RegExp(`${in30}|${in30Late}`));

  // The key does what its scopes allow and nothing else.
  const as = (path: string) => request.get(path, { headers: { Authorization: `Bearer ${key}` } });
  expect((await as(`/v1/projects/${projectId}/runs`)).status()).toBe(200);
  expect((await as("/v1/api-keys")).status()).toBe(403);
  const listed = (await (
    await request.get("/v1/api-keys", {
      headers: { Authorization: `Bearer ${(await apiAs(page, request)).token}` },
    })
  ).json()) as { items: { name: string; permissions: string[]; expiresAt: number | null }[] };
  const stored = listed.items.find((k) => k.name === "Run uploader")!;
  expect(stored.permissions.sort()).toEqual(["runs:read", "runs:write"]);
  expect(stored.expiresAt! - Date.now()).toBeGreaterThan(29 * 86_400_000);
  expect(stored.expiresAt! - Date.now()).toBeLessThan(31 * 86_400_000);

  // A chosen date, and a full-access key that never expires; rotate and revoke stay on each row.
  await form.getByLabel("Key name").fill("Nightly");
  await form.getByLabel("Expires").selectOption("date");
  await form.getByLabel("Expiry date").fill("2099-01-31");
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("row", { name: /Nightly/ }).locator("time")).toContainText("2099-01-3");
  await expect(page.getByRole("row", { name: /Nightly/ })).toContainText("full access");
  await page.getByRole("button", { name: "Revoke Nightly" }).click();
  await expect(page.getByRole("row", { name: /Nightly/ }).getByText("revoked")).toBeVisible();
  await expect(page.getByRole("button", { name: "Rotate Run uploader" })).toBeVisible();
  expect(errors).toEqual([]);
});
