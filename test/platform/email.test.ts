import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { z } from "zod";
import { EmailSendError, httpEmailClient } from "../../shared/email/client.ts";
import { type Env, loadConfig } from "../../workers/env.ts";
import worker from "../../workers/index.ts";
import { mailSendBody } from "../auth/mail-fake.ts";
import { newTenant } from "../helpers.ts";

const SETTINGS = {
  apiUrl: "https://mail.example.com/",
  apiKey: "re_test_key",
  from: "Shifty <no-reply@shifty.dev>",
};

/** A fake mail provider: checks method, path, key, media type and idempotency key, records the mail. */
function fakeProvider(answer: { status?: number; body?: unknown } = {}) {
  const sent: { body: z.infer<typeof mailSendBody>; idempotencyKey: string }[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (request.method !== "POST" || url.href !== "https://mail.example.com/emails") {
      return new Response("not found", { status: 404 });
    }
    if (request.headers.get("authorization") !== `Bearer ${SETTINGS.apiKey}`) {
      return Response.json({ name: "missing_api_key" }, { status: 401 });
    }
    if (request.headers.get("content-type") !== "application/json" || request.redirect !== "manual") {
      return Response.json({ name: "invalid_request" }, { status: 400 });
    }
    const parsed = mailSendBody.safeParse(await request.json());
    if (!parsed.success) return Response.json({ name: "validation_error" }, { status: 422 });
    sent.push({ body: parsed.data, idempotencyKey: request.headers.get("idempotency-key") ?? "" });
    return Response.json(answer.body ?? { id: `email_${sent.length}` }, { status: answer.status ?? 200 });
  };
  return { sent, fetchFn: fetchFn as typeof fetch };
}

afterEach(() => vi.restoreAllMocks());

describe("the mail provider client", () => {
  it("sends the provider's request shape with the key and an idempotency key, and returns its id", async () => {
    const provider = fakeProvider();
    const client = httpEmailClient(SETTINGS, provider.fetchFn);
    const result = await client.send({ to: "ada@example.com", subject: "Hi", text: "Hello" }, "inv_1");
    expect(result).toEqual({ id: "email_1" });
    expect(provider.sent).toEqual([
      {
        body: { from: SETTINGS.from, to: ["ada@example.com"], subject: "Hi", text: "Hello" },
        idempotencyKey: "inv_1",
      },
    ]);
  });

  it("tells refused messages from failures worth retrying", async () => {
    const refused = httpEmailClient(SETTINGS, fakeProvider().fetchFn);
    await expect(refused.send({ to: "not-an-address", subject: "x", text: "y" }, "k")).rejects.toMatchObject({
      name: "EmailSendError",
      status: 422,
      retryable: false,
    });
    const busy = httpEmailClient(SETTINGS, fakeProvider({ status: 503, body: {} }).fetchFn);
    await expect(busy.send({ to: "a@example.com", subject: "x", text: "y" }, "k")).rejects.toMatchObject({
      status: 503,
      retryable: true,
    });
    const noId = httpEmailClient(SETTINGS, fakeProvider({ body: { ok: true } }).fetchFn);
    await expect(noId.send({ to: "a@example.com", subject: "x", text: "y" }, "k")).rejects.toBeInstanceOf(
      EmailSendError,
    );
    const down = httpEmailClient(SETTINGS, () => Promise.reject(new TypeError("fetch failed")));
    await expect(down.send({ to: "a@example.com", subject: "x", text: "y" }, "k")).rejects.toMatchObject({
      status: null,
      retryable: true,
    });
  });
});

it("a half-configured provider refuses to start with a clear message", () => {
  expect(() => loadConfig({ ...env, EMAIL_API_URL: "https://mail.example.com" } as Env)).toThrow(
    /EMAIL_API_KEY is required/,
  );
});

describe("invites arrive by email when a provider is configured", () => {
  async function invite(extraEnv: Partial<Env>) {
    const t = await newTenant("Mailers");
    const provider = fakeProvider();
    vi.spyOn(globalThis, "fetch").mockImplementation(provider.fetchFn);
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("http://shifty.test/v1/invites", {
        method: "POST",
        headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json" },
        body: JSON.stringify({ email: "grace@example.com", role: "member" }),
      }),
      { ...env, PUBLIC_URL: "https://app.shifty.dev", ...extraEnv } as Env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(201);
    return { provider, created: (await res.json()) as { invite: { id: string }; token: string } };
  }

  it("emails the invitee the same one-time link the dashboard shows, once per invite", async () => {
    const { provider, created } = await invite({
      EMAIL_API_URL: SETTINGS.apiUrl,
      EMAIL_API_KEY: SETTINGS.apiKey,
      EMAIL_FROM: SETTINGS.from,
    });
    expect(provider.sent).toHaveLength(1);
    const [mail] = provider.sent;
    expect(mail?.idempotencyKey).toBe(created.invite.id);
    expect(mail?.body.to).toEqual(["grace@example.com"]);
    expect(mail?.body.subject).toBe("You are invited to Mailers on Shifty");
    expect(mail?.body.text).toContain(`https://app.shifty.dev/join?token=${created.token}`);
  });

  it("without a provider nothing is sent and the token is still in the answer to copy", async () => {
    const { provider, created } = await invite({});
    expect(provider.sent).toHaveLength(0);
    expect(created.token).toMatch(/^inv_/);
  });
});
