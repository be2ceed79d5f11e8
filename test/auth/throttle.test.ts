import { describe, expect, it } from "vitest";
import { MAX_OWNED_ORGS } from "../../shared/tenancy/organizations.ts";
import { api, newTenant } from "../helpers.ts";
import { postSignIn } from "./helpers.ts";

const signIn = (email: string, password: string, ip?: string) =>
  postSignIn(email, password, ip ? { "cf-connecting-ip": ip } : {});

describe("sign-in throttling", () => {
  it("locks an account after repeated wrong passwords with 429 + Retry-After, even for the right one", async () => {
    const t = await newTenant();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await signIn(t.email, `wrong password ${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    const locked = await signIn(t.email, "correct horse battery");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(locked.headers.get("content-type")).toContain("application/problem+json");
    // Another account is not affected.
    const other = await newTenant();
    expect((await signIn(other.email, "correct horse battery")).status).toBe(200);
  });

  it("counts failures only: successful sign-ins give their charge back", async () => {
    const t = await newTenant();
    for (let i = 0; i < 12; i++) expect((await signIn(t.email, "correct horse battery")).status).toBe(200);
    expect((await signIn(t.email, "wrong one!")).status).toBe(401);
  });

  it("throttles unknown emails the same way (no account-existence signal)", async () => {
    const email = `ghost${Date.now()}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await signIn(email, "whatever123")).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it("limits one IP spraying many accounts, not other IPs", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++)
      statuses.push(
        (await signIn(`spray${i}-${Date.now()}@example.com`, "guess12345", "203.0.113.7")).status,
      );
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    expect((await signIn(`spray-x-${Date.now()}@example.com`, "guess12345", "203.0.113.8")).status).toBe(401);
  });
});

describe("sign-up throttling and organisation cap", () => {
  it("limits sign-ups per IP", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await api("/v1/auth/signup", {
        method: "POST",
        headers: { "cf-connecting-ip": "198.51.100.4" },
        json: { email: `farm${i}-${Date.now()}@example.com`, password: "correct horse battery", name: "F" },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
  });

  it("caps the organisations one user owns", async () => {
    const t = await newTenant();
    for (let i = 1; i < MAX_OWNED_ORGS; i++) {
      const res = await api("/v1/orgs", { method: "POST", token: t.token, json: { name: `Org ${i}` } });
      expect(res.status).toBe(201);
    }
    const over = await api("/v1/orgs", { method: "POST", token: t.token, json: { name: "One too many" } });
    expect(over.status).toBe(409);
    const orgs = (await (await api("/v1/orgs", { token: t.token })).json()) as { items: unknown[] };
    expect(orgs.items).toHaveLength(MAX_OWNED_ORGS);
  });
});
