import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, matchTotp, totpStep } from "../../shared/auth/totp.ts";
import { api, newTenant, problem } from "../helpers.ts";
import { addMember, body, PASSWORD, postSignIn } from "./helpers.ts";

const STEP_MS = 30_000;

/** The code an authenticator shows `steps` periods from now (the server accepts ±1 step). */
async function codeAt(secret: string, steps = 0) {
  return hotp(base32Decode(secret)!, totpStep(Date.now()) + steps);
}

type Session = { token: string };

/** Enrols and confirms TOTP for the tenant's owner; returns the secret, the codes and the new session. */
async function enrol(token: string) {
  const { secret, otpauthUri } = await body<{ secret: string; otpauthUri: string }>(
    api("/v1/auth/mfa/totp", { method: "POST", token }),
    201,
  );
  const confirmCode = await codeAt(secret);
  const confirmed = await body<{ recoveryCodes: string[]; session: Session }>(
    api("/v1/auth/mfa/totp/confirm", { method: "POST", token, json: { code: confirmCode } }),
    200,
  );
  return { secret, otpauthUri, confirmCode, ...confirmed };
}

describe("TOTP (RFC 6238)", () => {
  it("matches the RFC 6238 SHA-1 test vectors (6-digit truncation) and round-trips base32", async () => {
    const secret = base32Encode(new TextEncoder().encode("12345678901234567890"));
    expect(secret).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    const key = base32Decode(secret)!;
    expect(await hotp(key, totpStep(59_000))).toBe("287082");
    expect(await hotp(key, totpStep(1_111_111_109_000))).toBe("081804");
    expect(await hotp(key, totpStep(1_234_567_890_000))).toBe("005924");
    expect(await hotp(key, totpStep(20_000_000_000_000))).toBe("353130");
  });

  it("accepts the current step and one on either side, nothing further", async () => {
    const secret = base32Encode(new TextEncoder().encode("12345678901234567890"));
    const now = 1_234_567_890_000;
    const step = totpStep(now);
    const key = base32Decode(secret)!;
    for (const delta of [-1, 0, 1])
      expect(await matchTotp(secret, await hotp(key, step + delta), now)).toBe(step + delta);
    for (const delta of [-2, 2])
      expect(await matchTotp(secret, await hotp(key, step + delta), now)).toBeNull();
    expect(await matchTotp(secret, "12345", now)).toBeNull();
  });
});

describe("two-factor sign-in", () => {
  it("enrols with an otpauth URI, confirms with a first code, gives 10 recovery codes and ends other sign-ins", async () => {
    const t = await newTenant();
    const other = await body<Session>(postSignIn(t.email), 200);
    const { secret } = await body<{ secret: string; otpauthUri: string }>(
      api("/v1/auth/mfa/totp", { method: "POST", token: t.token }),
      201,
    );
    const started = await body<{ secret: string; otpauthUri: string }>(
      api("/v1/auth/mfa/totp", { method: "POST", token: t.token }),
      201,
    );
    // A restarted enrolment replaces the secret; the URI carries what an authenticator needs.
    expect(started.secret).not.toBe(secret);
    const uri = new URL(started.otpauthUri);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(started.secret);
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");

    const wrong = await api("/v1/auth/mfa/totp/confirm", {
      method: "POST",
      token: t.token,
      json: { code: "000000" },
    });
    expect(wrong.status).toBe(422);
    const confirmed = await body<{ recoveryCodes: string[]; session: Session }>(
      api("/v1/auth/mfa/totp/confirm", {
        method: "POST",
        token: t.token,
        json: { code: await codeAt(started.secret) },
      }),
      200,
    );
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.recoveryCodes).size).toBe(10);
    for (const old of [t.token, other.token]) {
      expect((await api("/v1/me", { token: old })).status).toBe(401);
    }
    const status = await body<{
      enabled: boolean;
      recoveryCodesLeft: number;
      currentSignInVerified: boolean;
    }>(api("/v1/auth/mfa", { token: confirmed.session.token }), 200);
    expect(status).toMatchObject({ enabled: true, recoveryCodesLeft: 10, currentSignInVerified: true });
    // The stored secret is sealed, not the base32 text.
    const { env } = await import("cloudflare:workers");
    const row = await env.DB.prepare("SELECT secret_sealed FROM mfa_totp WHERE user_id = ?")
      .bind(t.userId)
      .first();
    expect(String(row?.secret_sealed)).toMatch(/^v1\./);
    expect(String(row?.secret_sealed)).not.toContain(started.secret);
  });

  it("asks for the second factor after the password, refuses a replayed code, spends recovery codes once", async () => {
    const t = await newTenant();
    const { secret, recoveryCodes, confirmCode } = await enrol(t.token);
    const challenged = await body<{ mfaRequired: boolean; challenge: string; token?: string }>(
      postSignIn(t.email),
      202,
    );
    expect(challenged.mfaRequired).toBe(true);
    expect(challenged.token).toBeUndefined();
    // The challenge is no sign-in token.
    expect((await api("/v1/me", { token: challenged.challenge })).status).toBe(401);

    // The confirmation spent the current step; the next one (within the ±1 window) works once.
    const replayOfConfirm = await api("/v1/auth/mfa/verify", {
      method: "POST",
      json: { challenge: challenged.challenge, code: confirmCode },
    });
    expect(replayOfConfirm.status).toBe(401);
    const next = await codeAt(secret, 1);
    const verified = await body<Session>(
      api("/v1/auth/mfa/verify", { method: "POST", json: { challenge: challenged.challenge, code: next } }),
      200,
    );
    expect((await api("/v1/me", { token: verified.token })).status).toBe(200);
    const replay = await api("/v1/auth/mfa/verify", {
      method: "POST",
      json: { challenge: challenged.challenge, code: next },
    });
    expect(replay.status).toBe(401);
    expect((await problem(replay)).detail).toMatch(/already used/);

    const recovered = await api("/v1/auth/mfa/verify", {
      method: "POST",
      json: { challenge: challenged.challenge, recoveryCode: recoveryCodes[3]!.toUpperCase() },
    });
    expect(recovered.status).toBe(200);
    const again = await api("/v1/auth/mfa/verify", {
      method: "POST",
      json: { challenge: challenged.challenge, recoveryCode: recoveryCodes[3] },
    });
    expect(again.status).toBe(401);
    const left = await body<{ recoveryCodesLeft: number }>(
      api("/v1/auth/mfa", { token: verified.token }),
      200,
    );
    expect(left.recoveryCodesLeft).toBe(9);
    const forged = await api("/v1/auth/mfa/verify", {
      method: "POST",
      json: { challenge: `${challenged.challenge}x`, code: await codeAt(secret, -1) },
    });
    expect(forged.status).toBe(401);
  });

  it("turning MFA off needs a code or the password and ends every sign-in", async () => {
    const t = await newTenant();
    const { secret, session } = await enrol(t.token);
    const second = await body<{ challenge: string }>(postSignIn(t.email), 202);
    const used = await codeAt(secret, 1);
    const other = await body<Session>(
      api("/v1/auth/mfa/verify", { method: "POST", json: { challenge: second.challenge, code: used } }),
      200,
    );
    const bad = await api("/v1/auth/mfa/totp/disable", {
      method: "POST",
      token: session.token,
      json: { password: "not the password" },
    });
    expect(bad.status).toBe(403);
    const reused = await api("/v1/auth/mfa/totp/disable", {
      method: "POST",
      token: session.token,
      json: { code: used },
    });
    expect(reused.status).toBe(403);
    const off = await body<Session>(
      api("/v1/auth/mfa/totp/disable", {
        method: "POST",
        token: session.token,
        json: { password: PASSWORD },
      }),
      200,
    );
    for (const ended of [session.token, other.token]) {
      expect((await api("/v1/me", { token: ended })).status).toBe(401);
    }
    expect((await api("/v1/me", { token: off.token })).status).toBe(200);
    await body<Session>(postSignIn(t.email), 200);
    const malformed = await api("/v1/auth/mfa/totp/disable", { method: "POST", token: off.token, json: {} });
    expect(malformed.status).toBe(400);
  });

  it("an org that requires MFA refuses password-only sign-ins on its routes, not on /me or enrolment", async () => {
    const t = await newTenant();
    const refused = await api("/v1/auth-policy", {
      method: "PATCH",
      token: t.token,
      json: { requireMfa: true },
    });
    expect(refused.status).toBe(409);
    const { session } = await enrol(t.token);
    const set = await body<{ requireMfa: boolean }>(
      api("/v1/auth-policy", { method: "PATCH", token: session.token, json: { requireMfa: true } }),
      200,
    );
    expect(set.requireMfa).toBe(true);

    // A member invited in and signed in with a password only.
    const member = await addMember(session.token, t.orgId, "member");
    const blocked = await api("/v1/projects", { token: member.token, orgId: t.orgId });
    expect(blocked.status).toBe(403);
    expect((await problem(blocked)).detail).toMatch(/two-factor/);
    expect((await api("/v1/me", { token: member.token, orgId: t.orgId })).status).toBe(200);
    const status = await body<{ requiredBy: string[] }>(api("/v1/auth/mfa", { token: member.token }), 200);
    expect(status.requiredBy).toContain(t.orgId);
    // API keys are not sign-ins: the policy is about people.
    expect((await api("/v1/projects", { token: t.apiKey })).status).toBe(200);

    const { session: verified } = await enrol(member.token);
    expect((await api("/v1/projects", { token: verified.token, orgId: t.orgId })).status).toBe(200);
  });
});

describe("a password change keeps the sign-in's strength", () => {
  it("a two-factor sign-in that changes its password stays two-factor, so an org that requires MFA still lets it in", async () => {
    const t = await newTenant();
    const { session } = await enrol(t.token);
    await body(
      api("/v1/auth-policy", { method: "PATCH", token: session.token, json: { requireMfa: true } }),
      200,
    );
    const changed = await body<Session>(
      api("/v1/auth/password", {
        method: "POST",
        token: session.token,
        json: { currentPassword: PASSWORD, newPassword: "a brand new passphrase" },
      }),
      200,
    );
    expect((await api("/v1/projects", { token: session.token, orgId: t.orgId })).status).toBe(401);
    expect((await api("/v1/projects", { token: changed.token, orgId: t.orgId })).status).toBe(200);
  });
});

describe("MFA step timing", () => {
  it("a code two steps old is refused at verification", async () => {
    const t = await newTenant();
    const { secret } = await enrol(t.token);
    const { challenge } = await body<{ challenge: string }>(postSignIn(t.email), 202);
    const stale = await hotp(base32Decode(secret)!, totpStep(Date.now() - 2 * STEP_MS));
    const res = await api("/v1/auth/mfa/verify", { method: "POST", json: { challenge, code: stale } });
    expect(res.status).toBe(401);
  });
});
