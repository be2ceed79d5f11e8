import { describe, expect, it } from "vitest";
import { parseRerankReply, rerankPromptVars } from "../../shared/healing/ai-reranker.ts";
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

  it("is not asked when the engine alone heals", async () => {
    let calls = 0;
    const ai = createAiReranker({
      rerank: async () => {
        calls++;
        return { 0: 1 };
      },
    });
    const sure = await healCandidates(
      {
        target: { tag: "button", text: "Save", attributes: { id: "save" } },
        candidates: [
          { tag: "button", text: "Save", attributes: { id: "save" } },
          { tag: "a", text: "Help" },
        ],
      },
      { ai },
    );
    expect(sure.healed).toBe(true);
    expect(calls).toBe(0);
  });

  it("leaves the engine's answer as it was when the model scores nothing", async () => {
    const candidates: ElementDescriptor[] = [
      { tag: "button", text: "Save draft" },
      { tag: "button", text: "Save now" },
    ];
    const target = { tag: "button", text: "Save" };
    let calls = 0;
    const ai = createAiReranker({
      rerank: async () => {
        calls++;
        return {};
      },
    });
    const alone = await healCandidates({ target, candidates });
    expect(alone.healed).toBe(false);
    // Asked, because the engine abstains; its empty answer changes nothing.
    expect(await healCandidates({ target, candidates }, { ai })).toEqual(alone);
    expect(calls).toBe(1);
  });

  it("sends what identifies the elements, and reads the scores out of a chatty reply", () => {
    const vars = rerankPromptVars({
      target: { tag: "button", text: "Save", attributes: { id: "save" }, xpath: "/html/body/button" },
      candidates: [{ index: 7, descriptor: { tag: "a", text: "x".repeat(500) }, confidence: 0.4 }],
    });
    expect(JSON.parse(vars.target)).toMatchObject({
      tag: "button",
      text: "Save",
      attributes: { id: "save" },
    });
    const [candidate] = JSON.parse(vars.candidates) as { index: number; text: string }[];
    expect(candidate!.index).toBe(7);
    expect(candidate!.text).toHaveLength(200);
    expect(parseRerankReply('noise {"scores": {"2": 0.5, "x": 1, "3": "a"}} trailing')).toEqual({ 2: 0.5 });
    expect(() => parseRerankReply("no json here")).toThrow();
  });
});
