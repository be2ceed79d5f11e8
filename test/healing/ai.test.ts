import { describe, expect, it } from "vitest";
import { openAiCompatibleRerank, parseRerankReply } from "../../shared/healing/ai-reranker.ts";
import { createAiReranker, healCandidates } from "../../shared/healing/index.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";

const request = {
  target: { tag: "button", text: "Save" },
  candidates: [{ index: 0, descriptor: { tag: "a" }, confidence: 0.4 }],
};

describe("AI re-ranker", () => {
  it("re-ranks the shortlist with the injected model", async () => {
    const candidates: ElementDescriptor[] = [
      { tag: "button", text: "Save draft" },
      { tag: "button", text: "Save now" },
    ];
    const ai = createAiReranker({ rerank: async () => ({ 0: 0, 1: 1 }), weight: 5 });
    const result = await healCandidates({ target: { tag: "button", text: "Save" }, candidates }, { ai });
    const without = await healCandidates({ target: { tag: "button", text: "Save" }, candidates });
    // "Save now" is on top: healed to it, and never listed as an alternative to itself.
    if (result.healed) expect(result.index).toBe(1);
    expect(result.alternatives.map((a) => a.index)).not.toContain(1);
    expect(result.confidence).toBeGreaterThan(without.confidence);
  });

  it("times out and opens the breaker after repeated failures", async () => {
    let now = 0;
    let calls = 0;
    const ai = createAiReranker({
      rerank: (_request, signal) => {
        calls++;
        return new Promise((_, reject) =>
          signal.addEventListener("abort", () => reject(new Error("aborted"))),
        );
      },
      timeoutMs: 5,
      failureThreshold: 2,
      cooldownMs: 1000,
      now: () => now,
    });
    expect(await ai.adjust(request)).toBeNull();
    expect(await ai.adjust(request)).toBeNull();
    expect(ai.state().open).toBe(true);
    expect(await ai.adjust(request)).toBeNull();
    expect(calls).toBe(2);
    now = 2000;
    expect(ai.state().open).toBe(false);
  });

  it("speaks the OpenAI-compatible chat protocol", async () => {
    let seen: { url: string; body: { model: string }; auth: string | null } | undefined;
    const fakeFetch = (async (url: string, init: RequestInit) => {
      seen = {
        url,
        body: JSON.parse(String(init.body)),
        auth: new Headers(init.headers).get("authorization"),
      };
      return new Response(JSON.stringify({ choices: [{ message: { content: '{"scores": {"0": 0.9}}' } }] }));
    }) as unknown as typeof fetch;
    const rerank = openAiCompatibleRerank({
      baseUrl: "https://llm.test/v1/",
      apiKey: "k",
      model: "m",
      fetch: fakeFetch,
    });
    expect(await rerank(request, new AbortController().signal)).toEqual({ 0: 0.9 });
    expect(seen?.url).toBe("https://llm.test/v1/chat/completions");
    expect(seen?.body.model).toBe("m");
    expect(seen?.auth).toBe("Bearer k");
    expect(parseRerankReply('noise {"scores": {"2": 0.5, "x": 1, "3": "a"}} trailing')).toEqual({ 2: 0.5 });
  });
});
