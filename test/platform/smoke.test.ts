import { describe, expect, it } from "vitest";
import { api, newTenant } from "../helpers.ts";

describe("smoke", () => {
  it("healthz", async () => {
    const res = await api("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });
  it("signup and list projects", async () => {
    const t = await newTenant();
    const res = await api("/v1/projects", { token: t.apiKey });
    expect(res.status).toBe(200);
  });
});
