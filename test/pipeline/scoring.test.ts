import { describe, expect, it } from "vitest";
import { personaOf, scoreDeterministic, scoreLead } from "../../shared/pipeline/scoring.ts";

const lead = (over: Partial<Parameters<typeof scoreDeterministic>[0]> = {}) => ({
  email: "ana@acme.io",
  title: null,
  company: null,
  attributes: {},
  ...over,
});

describe("lead scoring", () => {
  it.each([
    ["Senior QA Engineer", "qa_lead"],
    ["Head of Quality", "qa_lead"],
    ["Engineering Manager", "engineering_manager"],
    ["Staff Software Engineer", "developer"],
    ["Product Owner", "product_owner"],
    ["UX Designer", "designer"],
    ["CTO", "executive"],
    ["VP Engineering", "executive"],
    ["Office manager", "other"],
    [null, "other"],
  ])("classifies %s as %s", (title, persona) => {
    expect(personaOf(title)).toBe(persona);
  });

  it("adds behaviour and firmographics, subtracts free mail, clamps to 0–100 and explains each step", () => {
    const hot = scoreDeterministic(
      lead({
        title: "Head of QA",
        company: "Acme",
        attributes: {
          employees: 5000,
          pageViews: 40,
          pricingVisits: 2,
          trialSignup: true,
          demoRequested: "yes",
        },
      }),
    );
    expect(hot.persona).toBe("qa_lead");
    expect(hot.score).toBe(100); // 35 + 10 + 5 + 15 + 10 + 10 + 15 + 20 = 120, clamped
    expect(hot.reasons).toContain("requested a demo (+20)");
    const cold = scoreDeterministic(lead({ email: "x@gmail.com", title: "Student" }));
    expect(cold).toEqual({
      score: 0,
      persona: "other",
      reasons: ["persona other (+5)", "free e-mail domain (-10)"],
    });
    const mid = scoreDeterministic(
      lead({ title: "Software Engineer", company: "Initech", attributes: { employees: 250 } }),
    );
    expect(mid.score).toBe(25 + 5 + 10);
  });

  it("is deterministic and ignores attributes of the wrong type", () => {
    const input = lead({ title: "Developer", attributes: { employees: "many", pageViews: Number.NaN } });
    expect(scoreDeterministic(input)).toEqual(scoreDeterministic(input));
    expect(scoreDeterministic(input).score).toBe(25);
  });

  it("lets an AI scorer refine the result, and keeps the deterministic one when it fails", async () => {
    const input = lead({ title: "Developer" });
    const refined = await scoreLead(input, {
      ai: async (_l, base) => ({ ...base, score: 140, reasons: [...base.reasons, "ai"] }),
    });
    expect(refined.score).toBe(100);
    expect(refined.reasons.at(-1)).toBe("ai");
    const fallback = await scoreLead(input, {
      ai: async () => {
        throw new Error("model down");
      },
    });
    expect(fallback).toEqual(scoreDeterministic(input));
  });
});
