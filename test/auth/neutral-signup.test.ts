import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, countOf, newTenant } from "../helpers.ts";
import { PASSWORD, postSignIn } from "./helpers.ts";
import { callWith, fakeMailProvider, linkToken, MAIL_ENV } from "./mail-fake.ts";

afterEach(() => vi.restoreAllMocks());

const fresh = (tag: string) => `${tag}${Date.now()}${Math.floor(Math.random() * 1e9)}@example.com`;
const signUp = (email: string, extra: Record<string, string> = {}) =>
  callWith(MAIL_ENV, "/v1/auth/signup", {
    json: { email, password: "a brand new password", name: "Newcomer", orgName: "Newco" },
    headers: extra,
  });

describe("sign-up with a mail provider is neutral", () => {
  it("answers a new and a known address alike; only the new one gets a link, the known one a notice", async () => {
    const known = await newTenant("Known");
    const mail = fakeMailProvider();
    const newcomer = fresh("new");
    const [forNew, forKnown] = [await signUp(newcomer), await signUp(known.email)];
    expect([forNew.status, forKnown.status]).toEqual([202, 202]);
    const [a, b] = [await forNew.json(), await forKnown.json()];
    expect(Object.keys(a as object).sort()).toEqual(Object.keys(b as object).sort());
    expect(a).toMatchObject({ status: "check_email", linkExpiresAt: expect.any(Number) });
    expect(b).toMatchObject({ status: "check_email" });
    expect(forNew.headers.get("set-cookie")).toBeNull();
    expect(forKnown.headers.get("set-cookie")).toBeNull();

    expect(mail.to(newcomer)).toHaveLength(1);
    expect(mail.to(newcomer)[0]?.text).toContain("https://app.shifty.dev/signup/verify?token=sup_");
    expect(mail.to(known.email)).toHaveLength(1);
    expect(mail.to(known.email)[0]?.subject).toBe("Someone tried to sign up to Shifty with your email");
    expect(mail.to(known.email)[0]?.text).not.toContain("token=");
    // The known account is untouched: its password still signs in.
    const signIn = await postSignIn(known.email, "correct horse battery");
    expect(signIn.status).toBe(200);
    // No account exists for the newcomer until the link comes back.
    const early = await countOf("SELECT count(*) AS n FROM users WHERE email = ?", newcomer);
    expect(early).toBe(0);
  });

  it("creates the account and signs in when the link comes back, once", async () => {
    const mail = fakeMailProvider();
    const email = fresh("link");
    expect((await signUp(email)).status).toBe(202);
    const token = linkToken(mail.to(email)[0], "/signup/verify");
    const verified = await callWith(MAIL_ENV, "/v1/auth/signup/verify", { json: { token } });
    expect(verified.status).toBe(201);
    expect(verified.headers.get("set-cookie")).toMatch(/^shifty_session=/);
    const session = (await verified.json()) as {
      token: string;
      user: { email: string };
      orgs: { name: string }[];
    };
    expect(session.user.email).toBe(email);
    expect(session.orgs.map((o) => o.name)).toEqual(["Newco"]);
    expect((await api("/v1/projects", { token: session.token })).status).toBe(200);
    // The password given at sign-up is the account's.
    const signIn = await postSignIn(email, "a brand new password");
    expect(signIn.status).toBe(200);

    const again = await callWith(MAIL_ENV, "/v1/auth/signup/verify", { json: { token } });
    expect(again.status).toBe(410);
    const forged = await callWith(MAIL_ENV, "/v1/auth/signup/verify", {
      json: { token: `sup_${"A".repeat(40)}` },
    });
    expect(forged.status).toBe(410);
    const malformed = await callWith(MAIL_ENV, "/v1/auth/signup/verify", { json: { token: "nope" } });
    expect(malformed.status).toBe(400);
  });

  it("refuses an expired link", async () => {
    const mail = fakeMailProvider();
    const email = fresh("late");
    await signUp(email);
    const token = linkToken(mail.to(email)[0], "/signup/verify");
    await env.DB.prepare("UPDATE signup_requests SET expires_at = ? WHERE email = ?")
      .bind(Date.now() - 1, email)
      .run();
    expect((await callWith(MAIL_ENV, "/v1/auth/signup/verify", { json: { token } })).status).toBe(410);
  });

  it("limits sign-ups per address as well as per IP, alike for known and unknown addresses", async () => {
    fakeMailProvider();
    const email = fresh("flood");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await signUp(email, { "cf-connecting-ip": `198.51.100.${20 + i}` })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it("without a provider, production refuses sign-up (503) and development signs up directly", async () => {
    const email = fresh("noprov");
    const production = {
      APP_ENV: "production",
      ALLOW_LOOPBACK_WEBHOOKS: "false",
      WEBHOOKS_BACKOFF_SCALE: "1",
    };
    const prod = await callWith(production, "/v1/auth/signup", {
      json: { email, password: PASSWORD, name: "P" },
    });
    expect(prod.status).toBe(503);
    expect(((await prod.json()) as { detail: string }).detail).toMatch(/Sign-up needs a mail provider/);
    const dev = await callWith({ APP_ENV: "development" }, "/v1/auth/signup", {
      json: { email, password: PASSWORD, name: "P" },
    });
    expect(dev.status).toBe(201);
  });
});

describe("organisations per user", () => {
  it("the cap is configurable (MAX_OWNED_ORGS_PER_USER)", async () => {
    const t = await newTenant("Capped");
    const capped = { MAX_OWNED_ORGS_PER_USER: "2" };
    const second = await callWith(capped, "/v1/orgs", { token: t.token, json: { name: "Second" } });
    expect(second.status).toBe(201);
    const third = await callWith(capped, "/v1/orgs", { token: t.token, json: { name: "Third" } });
    expect(third.status).toBe(409);
  });
});
