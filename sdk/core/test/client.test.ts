import { describe, expect, it } from "vitest";
import {
  parseRetryAfter,
  ShiftyApiError,
  ShiftyClient,
  ShiftyNetworkError,
  ShiftyTimeoutError,
} from "../src/index.ts";

type Seen = { url: string; method: string; headers: Headers; body: string | null };

function fakeFetch(responses: (Response | Error | (() => Promise<Response>))[]) {
  const seen: Seen[] = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    seen.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: (init?.body as string) ?? null,
    });
    const next = responses.shift();
    if (!next) throw new Error("no more responses");
    if (next instanceof Error) throw next;
    return typeof next === "function" ? next() : next;
  }) as typeof fetch;
  return { fn, seen };
}

const problem = (status: number, detail: string, headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({ type: `https://shifty.dev/problems/x`, title: "T", status, detail, requestId: "req_1" }),
    { status, headers: { "content-type": "application/problem+json", ...headers } },
  );

function client(fetchFn: typeof fetch, delays: number[] = [], extra = {}) {
  return new ShiftyClient({
    baseUrl: "http://shifty.test/v1/",
    apiKey: "shf_test",
    fetch: fetchFn,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...extra,
  });
}

describe("ShiftyClient", () => {
  it("sends the API key and JSON, and parses the answer", async () => {
    const { fn, seen } = fakeFetch([Response.json({ status: "pass", reasons: [], evaluatedAt: 1 })]);
    const gate = await client(fn).getGate("run_1");
    expect(gate.status).toBe("pass");
    expect(seen[0]!.url).toBe("http://shifty.test/v1/runs/run_1/gate");
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer shf_test");
  });

  it("retries a 429 after Retry-After, then succeeds", async () => {
    const delays: number[] = [];
    const { fn, seen } = fakeFetch([
      problem(429, "slow down", { "retry-after": "2" }),
      Response.json({ ok: 1 }),
    ]);
    await client(fn, delays).request("POST", "/v1/heal", { json: {} });
    expect(seen).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(2000);
  });

  it("backs off exponentially on 5xx for idempotent requests and gives up after the retries", async () => {
    const delays: number[] = [];
    const { fn, seen } = fakeFetch([
      problem(503, "a"),
      problem(503, "b"),
      problem(503, "c"),
      problem(503, "d"),
    ]);
    const error = await client(fn, delays, { backoffMs: 100 })
      .getRun("run_1")
      .catch((e: unknown) => e);
    expect(seen).toHaveLength(4);
    expect(delays).toHaveLength(3);
    for (const [i, d] of delays.entries()) expect(d).toBeLessThanOrEqual(100 * 2 ** i);
    expect(error).toBeInstanceOf(ShiftyApiError);
    expect((error as ShiftyApiError).status).toBe(503);
  });

  it("does not retry a 5xx on a non-idempotent POST, nor any 4xx", async () => {
    const a = fakeFetch([problem(500, "boom")]);
    await expect(client(a.fn).request("POST", "/v1/x", { json: {} })).rejects.toBeInstanceOf(ShiftyApiError);
    expect(a.seen).toHaveLength(1);
    const b = fakeFetch([problem(404, "Project not found")]);
    const error = (await client(b.fn)
      .getProject("prj_1")
      .catch((e: unknown) => e)) as ShiftyApiError;
    expect(b.seen).toHaveLength(1);
    expect(error).toMatchObject({ status: 404, detail: "Project not found", requestId: "req_1", code: "x" });
  });

  it("an upload without a build id is not retried on 5xx; with one it is", async () => {
    const a = fakeFetch([problem(502, "x")]);
    await expect(client(a.fn).uploadRun("prj_1", "<testsuites/>", { format: "junit" })).rejects.toThrow();
    expect(a.seen).toHaveLength(1);
    expect(a.seen[0]!.headers.get("content-type")).toBe("application/xml");
    const b = fakeFetch([problem(502, "x"), Response.json({ id: "run_1" })]);
    await client(b.fn).uploadRun("prj_1", "{}", { format: "playwright", buildId: "42", branch: "main" });
    expect(b.seen).toHaveLength(2);
    expect(b.seen[1]!.url).toBe("http://shifty.test/v1/projects/prj_1/runs?buildId=42&branch=main");
  });

  it("times out with a ShiftyTimeoutError and reports unreachable servers", async () => {
    const slow = (async (_input: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
      })) as typeof fetch;
    await expect(client(slow, [], { timeoutMs: 50, retries: 0 }).getRun("run_1")).rejects.toBeInstanceOf(
      ShiftyTimeoutError,
    );
    const refused = fakeFetch([
      Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
    ]);
    const error = await client(refused.fn, [], { retries: 0 })
      .getRun("run_1")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShiftyNetworkError);
    expect((error as Error).message).toContain("ECONNREFUSED");
  });

  it("turns a non-problem error body into a readable error", async () => {
    const { fn } = fakeFetch([
      new Response("<html>Bad gateway</html>", { status: 400, headers: { "x-request-id": "req_9" } }),
    ]);
    const error = (await client(fn)
      .getRun("run_1")
      .catch((e: unknown) => e)) as ShiftyApiError;
    expect(error.status).toBe(400);
    expect(error.requestId).toBe("req_9");
    expect(error.detail).toContain("Bad gateway");
  });

  it("refuses to start without a URL or a key", () => {
    expect(() => new ShiftyClient({ baseUrl: "", apiKey: "k" })).toThrow(/baseUrl/);
    expect(() => new ShiftyClient({ baseUrl: "http://x", apiKey: "" })).toThrow(/API key/);
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
  it("uploads an artifact as raw bytes with its media type and name, and never repeats it after a 5xx", async () => {
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1]);
    const ok = fakeFetch([Response.json({ id: "art_1", kind: "trace" }, { status: 201 })]);
    const artifact = await client(ok.fn).uploadArtifact("run_1", "res_1", bytes, {
      contentType: "application/zip",
      name: "trace.zip",
    });
    expect(artifact).toMatchObject({ id: "art_1" });
    expect(ok.seen[0]!.method).toBe("POST");
    expect(ok.seen[0]!.url).toBe("http://shifty.test/v1/runs/run_1/results/res_1/artifacts?name=trace.zip");
    expect(ok.seen[0]!.headers.get("content-type")).toBe("application/zip");
    expect(ok.seen[0]!.body as unknown).toBe(bytes);
    const down = fakeFetch([problem(503, "down"), Response.json({})]);
    await expect(
      client(down.fn).uploadArtifact("run_1", "res_1", bytes, { contentType: "application/zip" }),
    ).rejects.toBeInstanceOf(ShiftyApiError);
    expect(down.seen).toHaveLength(1);
  });
});
