import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sha256Hex } from "../../shared/crypto/hash.ts";
import { api, countOf, newTenant } from "../helpers.ts";
import { waitFor } from "../wait-for.ts";
import { postSignIn } from "./helpers.ts";
import { callWith, fakeMailProvider, linkToken, MAIL_ENV } from "./mail-fake.ts";

afterEach(() => vi.restoreAllMocks());

const OLD = "correct horse battery";
const NEW = "a different long passphrase";
const requestReset = (email: string, headers: Record<string, string> = {}) =>
  callWith(MAIL_ENV, "/v1/auth/password-reset", { json: { email }, headers });
const confirm = (token: string, password = NEW) =>
  callWith(MAIL_ENV, "/v1/auth/password-reset/confirm", { json: { token, password } });

describe("password reset by email", () => {
  it("answers known and unknown addresses alike and mails a link only to an account", async () => {
    const t = await newTenant("Forgetful");
    const mail = fakeMailProvider();
    const unknown = `nobody${Date.now()}@example.com`;
    const [known, other] = [await requestReset(t.email), await requestReset(unknown)];
    expect([known.status, other.status]).toEqual([202, 202]);
    const [a, b] = [await known.json(), await other.json()];
    expect(Object.keys(a as object).sort()).toEqual(Object.keys(b as object).sort());
    expect(a).toMatchObject({ status: "check_email" });
    expect(mail.to(unknown)).toHaveLength(0);
    expect(mail.to(t.email)).toHaveLength(1);
    const message = mail.to(t.email)[0]!;
    expect(message.subject).toBe("Reset your Shifty password");
    const token = linkToken(message, "/reset-password");
    // Stored only as a hash, expiring within 30 minutes.
    const row = await env.DB.prepare(
      "SELECT token_hash, expires_at FROM password_resets WHERE token_hash = ?",
    )
      .bind(await sha256Hex(token))
      .first<{ token_hash: string; expires_at: number }>();
    expect(row?.expires_at).toBeLessThanOrEqual(Date.now() + 30 * 60 * 1000);
    const raw = await countOf("SELECT count(*) AS n FROM password_resets WHERE token_hash = ?", token);
    expect(raw).toBe(0);
  });

  it("sets the password, ends every sign-in and works once", async () => {
    const t = await newTenant("Resetting");
    const mail = fakeMailProvider();
    await requestReset(t.email);
    const token = linkToken(mail.to(t.email)[0], "/reset-password");
    expect((await api("/v1/me", { token: t.token })).status).toBe(200);

    expect((await confirm(token)).status).toBe(204);
    expect((await api("/v1/me", { token: t.token })).status).toBe(401);
    expect((await postSignIn(t.email, OLD)).status).toBe(401);
    expect((await postSignIn(t.email, NEW)).status).toBe(200);
    // API keys are not sign-ins: they keep working.
    expect((await api("/v1/projects", { token: t.apiKey })).status).toBe(200);

    const reused = await confirm(token, "yet another long passphrase");
    expect(reused.status).toBe(410);
    expect((await postSignIn(t.email, NEW)).status).toBe(200);
  });

  it("refuses an expired, a forged and a malformed token", async () => {
    const t = await newTenant("Late");
    const mail = fakeMailProvider();
    await requestReset(t.email);
    const token = linkToken(mail.to(t.email)[0], "/reset-password");
    await env.DB.prepare("UPDATE password_resets SET expires_at = ? WHERE token_hash = ?")
      .bind(Date.now() - 1, await sha256Hex(token))
      .run();
    expect((await confirm(token)).status).toBe(410);
    expect((await confirm(`pwr_${"B".repeat(40)}`)).status).toBe(410);
    expect((await confirm("pwr_short")).status).toBe(400);
    expect((await confirm(`pwr_${"B".repeat(40)}`, "short")).status).toBe(400);
    expect((await postSignIn(t.email, OLD)).status).toBe(200);
  });

  it("is throttled per address, and says so without a mail provider", async () => {
    fakeMailProvider();
    const email = `flood${Date.now()}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await requestReset(email, { "cf-connecting-ip": `203.0.113.${40 + i}` })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const without = await api("/v1/auth/password-reset", {
      method: "POST",
      json: { email: "a@example.com" },
    });
    expect(without.status).toBe(503);
    expect(((await without.json()) as { detail: string }).detail).toMatch(/mail provider/);
  });

  it("is audited in every organisation of the account: the request by the system, the reset by the user", async () => {
    const t = await newTenant("Audited Reset");
    const mail = fakeMailProvider();
    await requestReset(t.email, { "cf-connecting-ip": "198.51.100.9" });
    const token = linkToken(mail.to(t.email)[0], "/reset-password");
    expect((await confirm(token)).status).toBe(204);
    const read = async () =>
      (
        (await (await api("/v1/audit?action=user.password_reset*", { token: t.apiKey })).json()) as {
          items: { action: string; actorType: string; actorId: string; ip: string | null }[];
        }
      ).items;
    const entries = await waitFor(read, { until: (items) => items.length === 2 });
    expect(entries.map((e) => [e.action, e.actorType, e.actorId])).toEqual([
      ["user.password_reset", "user", t.userId],
      ["user.password_reset_request", "system", "password-reset"],
    ]);
    expect(entries[1]!.ip).toBe("198.51.100.9");
  });
});
