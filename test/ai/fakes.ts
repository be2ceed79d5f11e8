import { afterEach, beforeEach, expect, vi } from "vitest";
import { resetBreakers } from "../../shared/ai/resilience.ts";

/**
 * One fake for every outside service the AI workflows call, installed as `fetch`: the two AI providers
 * (checking each request's shape and counting tokens the way the real ones report them), GitHub, Jira
 * Cloud and an incoming-webhook receiver. Unknown hosts fail like an unreachable network.
 */
export type Seen = { method: string; url: URL; headers: Headers; body: Record<string, unknown> | null };
export type ProviderCounter = { calls: number; tokensIn: number; tokensOut: number; failures: number };

export const OPENAI_HOST = "openai.fake.test";
export const ANTHROPIC_HOST = "anthropic.fake.test";
export const NOTIFY_URL = "https://hooks.slack.example.com/services/T0/B0/secret";

const tokensOf = (text: string) => Math.ceil(text.length / 4);

export function fakeWorld() {
  const seen: Seen[] = [];
  const counters: Record<"openai" | "anthropic", ProviderCounter> = {
    openai: { calls: 0, tokensIn: 0, tokensOut: 0, failures: 0 },
    anthropic: { calls: 0, tokensIn: 0, tokensOut: 0, failures: 0 },
  };
  /** Answers queued per host before the normal behaviour (e.g. a 503 outage). */
  const failures: Record<string, number[]> = {};
  const comments: { id: number; body: string }[] = [];
  let nextComment = 9000;
  const answer = "Risk is moderate: run checkout.spec.ts first.";
  /** Answers by prompt: the first that returns text wins, else `answer` (the workflows' note). */
  const replies: ((system: string, user: string) => string | undefined)[] = [];
  const replyTo = (system: string, user: string) =>
    replies.map((reply) => reply(system, user)).find((text) => text !== undefined) ?? answer;

  function provider(kind: "openai" | "anthropic", req: Seen): Response {
    const body = req.body ?? {};
    const counter = counters[kind];
    const queued = failures[req.url.host]?.shift();
    if (queued) {
      counter.failures += 1;
      return Response.json({ error: { message: "overloaded" } }, { status: queued });
    }
    expect(req.method).toBe("POST");
    expect(req.headers.get("content-type")).toBe("application/json");
    expect(typeof body.model).toBe("string");
    expect(body.max_tokens).toBeGreaterThan(0);
    const messages = body.messages as { role: string; content: string }[];
    const text =
      kind === "openai"
        ? replyTo(messages[0]!.content, messages[1]?.content ?? "")
        : replyTo(String(body.system), messages[0]!.content);
    const out = tokensOf(text);
    if (kind === "openai") {
      expect(req.url.pathname).toBe("/v1/chat/completions");
      expect(req.headers.get("authorization")).toBe("Bearer sk-test-openai-key-0000");
      expect(messages.map((m) => m.role)).toEqual(["system", "user"]);
      const input = tokensOf(messages.map((m) => m.content).join(""));
      counter.calls += 1;
      counter.tokensIn += input;
      counter.tokensOut += out;
      return Response.json({
        id: "chatcmpl-1",
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
        usage: { prompt_tokens: input, completion_tokens: out, total_tokens: input + out },
      });
    }
    expect(req.url.pathname).toBe("/v1/messages");
    expect(req.headers.get("x-api-key")).toBe("sk-ant-test-key-0000");
    expect(req.headers.get("anthropic-version")).toBe("2023-06-01");
    expect(typeof body.system).toBe("string");
    expect(messages.map((m) => m.role)).toEqual(["user"]);
    const input = tokensOf(String(body.system) + messages[0]!.content);
    counter.calls += 1;
    counter.tokensIn += input;
    counter.tokensOut += out;
    return Response.json({
      id: "msg_1",
      type: "message",
      model: body.model,
      content: [{ type: "text", text }],
      usage: { input_tokens: input, output_tokens: out },
    });
  }

  function github(req: Seen): Response {
    expect(req.headers.get("authorization")).toMatch(/^Bearer ghp_/);
    expect(req.headers.get("x-github-api-version")).toBe("2022-11-28");
    const path = req.url.pathname;
    if (req.method === "GET" && /^\/repos\/octo\/shop\/pulls\/7\/files$/.test(path))
      return Response.json([
        { filename: "src/checkout/cart.ts", status: "modified" },
        { filename: "README.md", status: "modified" },
      ]);
    if (req.method === "GET" && path === "/repos/octo/shop/issues/7/comments")
      return Response.json(
        comments.map((c) => ({ ...c, html_url: `https://github.com/octo/shop/pull/7#c${c.id}` })),
      );
    if (req.method === "POST" && path === "/repos/octo/shop/issues/7/comments") {
      const comment = { id: nextComment++, body: String(req.body?.body) };
      comments.push(comment);
      return Response.json(
        { ...comment, html_url: `https://github.com/octo/shop/pull/7#c${comment.id}` },
        { status: 201 },
      );
    }
    const patch = /^\/repos\/octo\/shop\/issues\/comments\/(\d+)$/.exec(path);
    if (req.method === "PATCH" && patch) {
      const comment = comments.find((c) => c.id === Number(patch[1]));
      if (!comment) return Response.json({ message: "Not Found" }, { status: 404 });
      comment.body = String(req.body?.body);
      return Response.json({ ...comment, html_url: `https://github.com/octo/shop/pull/7#c${comment.id}` });
    }
    if (req.method === "POST" && path.endsWith("/check-runs"))
      return Response.json({ id: 1 }, { status: 201 });
    return Response.json({ message: "Not Found" }, { status: 404 });
  }

  function jira(req: Seen): Response {
    expect(req.headers.get("authorization")).toMatch(/^Basic /);
    if (req.method === "POST" && req.url.pathname === "/rest/api/3/issue") {
      const fields = (req.body?.fields ?? {}) as Record<string, unknown>;
      expect(fields.description).toMatchObject({ type: "doc", version: 1 });
      return Response.json(
        { id: "10001", key: "OPS-1", self: "https://acme.atlassian.net/rest/api/3/issue/10001" },
        { status: 201 },
      );
    }
    if (req.method === "POST" && req.url.pathname === "/rest/api/3/issue/OPS-1/comment") {
      expect(req.body?.body).toMatchObject({ type: "doc", version: 1 });
      return Response.json({ id: "20001" }, { status: 201 });
    }
    return Response.json({ errorMessages: ["not found"] }, { status: 404 });
  }

  const fetchFn: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const text = request.method === "GET" ? "" : await request.text();
    const req: Seen = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    };
    seen.push(req);
    switch (req.url.host) {
      case OPENAI_HOST:
        return provider("openai", req);
      case ANTHROPIC_HOST:
        return provider("anthropic", req);
      case "api.github.com":
        return github(req);
      case "acme.atlassian.net":
        return jira(req);
      case new URL(NOTIFY_URL).host:
        return new Response("ok");
      default:
        throw new TypeError(`fetch failed: no route to ${req.url.host}`);
    }
  };

  const total = () => ({
    calls: counters.openai.calls + counters.anthropic.calls,
    tokensIn: counters.openai.tokensIn + counters.anthropic.tokensIn,
    tokensOut: counters.openai.tokensOut + counters.anthropic.tokensOut,
  });
  const to = (host: string) => seen.filter((s) => s.url.host === host);
  return { fetch: fetchFn, seen, counters, failures, comments, total, to, answer, replies };
}

/**
 * Before each test of the file: closed circuit breakers and a fresh fake world installed as `fetch`;
 * after it, the real `fetch` again. Returns the current test's world.
 */
export function installFakeWorld(): () => ReturnType<typeof fakeWorld> {
  let world: ReturnType<typeof fakeWorld>;
  beforeEach(() => {
    resetBreakers();
    world = fakeWorld();
    vi.spyOn(globalThis, "fetch").mockImplementation(world.fetch);
  });
  afterEach(() => vi.restoreAllMocks());
  return () => world;
}
