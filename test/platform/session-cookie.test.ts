import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, newTenant } from "../helpers.ts";

const PASSWORD = "correct horse battery";

async function signInCookie(email: string, origin = "http://shifty.test") {
  const res = await exports.default.fetch(
    new Request(`${origin}/v1/auth/signin`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: PASSWORD }),
    }),
  );
  expect(res.status).toBe(200);
  const header = res.headers.get("set-cookie") ?? "";
  const value = /shifty_session=([^;]+)/.exec(header)?.[1];
  return { header, cookie: `shifty_session=${value}` };
}

function createProject(cookie: string, headers: Record<string, string> = {}) {
  return api("/v1/projects", {
    method: "POST",
    headers: { cookie, ...headers },
    json: { name: `Cookie project ${Math.random()}` },
  });
}

describe("dashboard cookie session", () => {
  it("sign-in sets an HttpOnly, Secure, SameSite=Lax cookie that authenticates reads", async () => {
    const t = await newTenant();
    const { header, cookie } = await signInCookie(t.email);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/Secure/i);
    expect(header).toMatch(/SameSite=Lax/i);
    expect(header).toMatch(/Path=\//);
    expect(header).toMatch(/Max-Age=43200/);
    const me = await api("/v1/me", { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ kind: "user", orgId: t.orgId });
    // Without the cookie or with a forged one the same request is refused.
    expect((await api("/v1/me")).status).toBe(401);
    expect((await api("/v1/me", { headers: { cookie: "shifty_session=forged.token.value" } })).status).toBe(
      401,
    );
  });

  it("sign-up sets the cookie too, and a development server on http://127.0.0.1 gets it without Secure", async () => {
    const res = await exports.default.fetch(
      new Request("http://127.0.0.1:8787/v1/auth/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email: `cookie${Date.now()}${Math.floor(Math.random() * 1e6)}@example.com`,
          password: PASSWORD,
          name: "Cookie Owner",
          orgName: "Cookie Org",
        }),
      }),
    );
    expect(res.status).toBe(201);
    const header = res.headers.get("set-cookie") ?? "";
    expect(header).toMatch(/shifty_session=[^;]+/);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).not.toMatch(/Secure/i);
  });

  it("refuses cookie-signed writes from another origin or without origin (CSRF) and accepts the dashboard's", async () => {
    const t = await newTenant();
    const { cookie } = await signInCookie(t.email);
    const evil = await createProject(cookie, { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { detail: string }).detail).toMatch(/Cross-site/);
    expect((await createProject(cookie)).status).toBe(403);
    expect((await createProject(cookie, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await createProject(cookie, { origin: "http://shifty.test" })).status).toBe(201);
    expect((await createProject(cookie, { "sec-fetch-site": "same-origin" })).status).toBe(201);
    // Bearer clients are unaffected by the check: no Origin needed.
    expect(
      (await api("/v1/projects", { method: "POST", token: t.token, json: { name: "Bearer" } })).status,
    ).toBe(201);
  });

  it("an Authorization header wins over the cookie", async () => {
    const t = await newTenant();
    const { cookie } = await signInCookie(t.email);
    const res = await api("/v1/me", { headers: { cookie, authorization: "Bearer not-a-token" } });
    expect(res.status).toBe(401);
  });

  it("a password change made with the cookie keeps the browser signed in with the new sign-in; a bearer client gets no cookie", async () => {
    const t = await newTenant();
    const { cookie } = await signInCookie(t.email);
    const change = (headers: Record<string, string>, currentPassword: string, newPassword: string) =>
      api("/v1/auth/password", { method: "POST", headers, json: { currentPassword, newPassword } });
    const res = await change({ cookie, origin: "http://shifty.test" }, PASSWORD, "a brand new passphrase");
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const header = res.headers.get("set-cookie") ?? "";
    expect(header).toContain(`shifty_session=${token}`);
    expect(header).toMatch(/HttpOnly/i);
    // The old cookie's sign-in has ended; the new one authenticates.
    expect((await api("/v1/me", { headers: { cookie } })).status).toBe(401);
    expect((await api("/v1/me", { headers: { cookie: `shifty_session=${token}` } })).status).toBe(200);

    const bearer = await change({ authorization: `Bearer ${token}` }, "a brand new passphrase", PASSWORD);
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get("set-cookie")).toBeNull();
  });

  it("sign-out clears the cookie", async () => {
    const res = await api("/v1/auth/signout", { method: "POST" });
    expect(res.status).toBe(204);
    const header = res.headers.get("set-cookie") ?? "";
    expect(header).toMatch(/shifty_session=;/);
    expect(header).toMatch(/Max-Age=0/);
  });
});
