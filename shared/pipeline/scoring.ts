import type { Persona } from "../contract/pipeline.ts";
import type { AttributeValue } from "../db/schema/pipeline.ts";

/** What the scoring model reads from a lead. */
export type ScoringInput = {
  email: string;
  title: string | null;
  company: string | null;
  attributes: Record<string, AttributeValue>;
};

export type ScoreResult = { score: number; persona: Persona; reasons: string[] };

/**
 * The seam for a model-backed scorer: given the lead and the deterministic result, return a refined
 * one. None is wired yet; when one is, it may only adjust, and a failure falls back to the base.
 */
export type AiScorer = (lead: ScoringInput, base: ScoreResult) => Promise<ScoreResult>;

/** First match wins, so the more specific titles come first ("QA engineer" is QA, not developer). */
const PERSONA_RULES: { persona: Persona; pattern: RegExp }[] = [
  {
    persona: "executive",
    pattern: /\b(ceo|cto|cio|coo|chief|founder|co-founder|president|vp|vice president)\b/,
  },
  { persona: "qa_lead", pattern: /\b(qa|quality|test|tester|testing|sdet)\b/ },
  {
    persona: "engineering_manager",
    pattern:
      /\b(engineering manager|manager,? engineering|head of engineering|director of engineering|eng manager|engineering director)\b/,
  },
  {
    persona: "product_owner",
    pattern: /\b(product owner|product manager|head of product|pm|product lead)\b/,
  },
  { persona: "designer", pattern: /\b(design|designer|ux|ui)\b/ },
  { persona: "developer", pattern: /\b(engineer|developer|programmer|swe|devops|architect|sre|dev)\b/ },
];

/** How well each persona fits the product (quality tooling): the base of the score. */
const PERSONA_FIT: Record<Persona, number> = {
  qa_lead: 35,
  engineering_manager: 30,
  developer: 25,
  executive: 25,
  product_owner: 20,
  designer: 10,
  other: 5,
};

const SENIORITY = /\b(senior|sr|lead|head|principal|staff|director)\b/;
const FREE_MAIL = /@(gmail|yahoo|hotmail|outlook|icloud|proton|protonmail|gmx|aol)\./i;

export function personaOf(title: string | null): Persona {
  const t = (title ?? "").toLowerCase();
  return PERSONA_RULES.find((rule) => rule.pattern.test(t))?.persona ?? "other";
}

const num = (v: AttributeValue | undefined) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const yes = (v: AttributeValue | undefined) => v === true || v === "true" || v === "yes";

/** The deterministic model over title, company and behaviour; same lead, same score, same reasons. */
export function scoreDeterministic(lead: ScoringInput): ScoreResult {
  const persona = personaOf(lead.title);
  const reasons = [`persona ${persona} (+${PERSONA_FIT[persona]})`];
  let score = PERSONA_FIT[persona];
  const add = (points: number, why: string) => {
    score += points;
    reasons.push(`${why} (${points >= 0 ? "+" : ""}${points})`);
  };
  if (SENIORITY.test((lead.title ?? "").toLowerCase())) add(10, "senior title");
  if (lead.company?.trim()) add(5, "company given");
  const employees = num(lead.attributes.employees);
  if (employees >= 1000) add(15, "1000+ employees");
  else if (employees >= 200) add(10, "200+ employees");
  else if (employees >= 50) add(5, "50+ employees");
  const views = Math.min(10, Math.floor(num(lead.attributes.pageViews)));
  if (views > 0) add(views, `${views} page views`);
  if (num(lead.attributes.pricingVisits) > 0) add(10, "visited pricing");
  if (yes(lead.attributes.trialSignup)) add(15, "signed up for a trial");
  if (yes(lead.attributes.demoRequested)) add(20, "requested a demo");
  if (FREE_MAIL.test(lead.email)) add(-10, "free e-mail domain");
  return { score: Math.max(0, Math.min(100, Math.round(score))), persona, reasons };
}

/** Scores a lead; with `ai` the deterministic result is refined, and kept when the refinement fails. */
export async function scoreLead(lead: ScoringInput, options: { ai?: AiScorer } = {}): Promise<ScoreResult> {
  const base = scoreDeterministic(lead);
  if (!options.ai) return base;
  try {
    const refined = await options.ai(lead, base);
    return { ...refined, score: Math.max(0, Math.min(100, Math.round(refined.score))) };
  } catch {
    return base;
  }
}
