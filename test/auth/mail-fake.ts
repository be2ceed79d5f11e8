import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { z } from "zod";
import type { Env } from "../../workers/env.ts";
import worker from "../../workers/index.ts";

/** Mail provider settings pointing at the fake below (docs/email.md). */
export const MAIL_ENV = {
  EMAIL_API_URL: "https://mail.example.com/",
  EMAIL_API_KEY: "re_test_key",
  EMAIL_FROM: "Shifty <no-reply@shifty.dev>",
  PUBLIC_URL: "https://app.shifty.dev",
} satisfies Partial<Env>;

/** What the provider's API requires of a send; anything else is refused like the real one does (422). */
export const mailSendBody = z.strictObject({
  from: z.string().min(3),
  to: z.array(z.email()).min(1).max(50),
  subject: z.string().min(1),
  text: z.string().min(1),
  html: z.string().optional(),
});
export type SentMail = z.infer<typeof mailSendBody> & { idempotencyKey: string };

/**
 * A fake mail provider answering the Worker's fetches: checks the path, key, media type and body
 * shape like the real one (anything else is refused), and records each mail. Restore with
 * vi.restoreAllMocks().
 */
export function fakeMailProvider() {
  const sent: SentMail[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (request.method !== "POST" || request.url !== "https://mail.example.com/emails")
      return new Response("not found", { status: 404 });
    if (request.headers.get("authorization") !== `Bearer ${MAIL_ENV.EMAIL_API_KEY}`)
      return Response.json({ name: "missing_api_key" }, { status: 401 });
    const idempotencyKey = request.headers.get("idempotency-key");
    if (!idempotencyKey) return Response.json({ name: "invalid_request" }, { status: 400 });
    const parsed = mailSendBody.safeParse(await request.json());
    if (!parsed.success) return Response.json({ name: "validation_error" }, { status: 422 });
    sent.push({ ...parsed.data, idempotencyKey });
    return Response.json({ id: `email_${sent.length}` });
  });
  return {
    sent,
    /** The mails sent to `to`. */
    to: (to: string) => sent.filter((m) => m.to.includes(to)),
  };
}

/** The token of the link in a mail (`…?token=<token>`). */
export function linkToken(mail: SentMail | undefined, path: string): string {
  const match = new RegExp(`${path.replace("/", "\\/")}\\?token=([\\w%]+)`).exec(mail?.text ?? "");
  if (!match) throw new Error(`no ${path} link in: ${mail?.text}`);
  return decodeURIComponent(match[1]!);
}

/** Calls the Worker with extra environment (e.g. MAIL_ENV) and waits for work after the response. */
export async function callWith(
  extraEnv: Partial<Env>,
  path: string,
  init: { method?: string; json?: unknown; token?: string; headers?: Record<string, string> } = {},
) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`http://shifty.test${path}`, {
      method: init.method ?? (init.json === undefined ? "GET" : "POST"),
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    }),
    { ...env, ...extraEnv } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}
