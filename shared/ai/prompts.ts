import type { AiTaskName } from "../contract/ai.ts";

/**
 * Prompts are versioned templates: a change is a new version, never an edit, and the ledger records
 * `id@version` for every call so cost and outcome can be compared per version. When a template has
 * two live versions, `pickVersion` splits traffic by a stable hash of the subject (the same pull
 * request always gets the same version), weighted by `weight`.
 */
export type TaskTier = "heavy" | "medium" | "light";

export type PromptVersion = {
  version: number;
  weight: number;
  system: string;
  user: (vars: Record<string, string>) => string;
};

export type PromptTemplate = { id: AiTaskName; tier: TaskTier; maxTokens: number; versions: PromptVersion[] };

const SYSTEM_REVIEW =
  "You are a senior test engineer. Be brief and concrete. Never invent test names: only use those given.";

export const PROMPTS: Record<AiTaskName, PromptTemplate> = {
  pr_review: {
    id: "pr_review",
    tier: "medium",
    maxTokens: 400,
    versions: [
      {
        version: 1,
        weight: 1,
        system: SYSTEM_REVIEW,
        user: (v) =>
          `Pull request: ${v.title}\nChanged files:\n${v.files}\n\nCandidate tests (with history):\n${v.tests}\n\n` +
          "In at most 5 bullet points: the risk of this change and which of the candidate tests matter most.",
      },
    ],
  },
  failure_triage: {
    id: "failure_triage",
    tier: "heavy",
    maxTokens: 500,
    versions: [
      {
        version: 1,
        weight: 1,
        system: SYSTEM_REVIEW,
        user: (v) =>
          `A CI run failed. Failure clusters (signature, count, sample message and stack):\n${v.clusters}\n\n` +
          "Explain the most likely cause in two sentences, then suggest one fix.",
      },
    ],
  },
  deploy_monitor: {
    id: "deploy_monitor",
    tier: "light",
    maxTokens: 200,
    versions: [
      {
        version: 1,
        weight: 1,
        system: "You summarise deployment health for an on-call engineer in at most three sentences.",
        user: (v) => `Deployment ${v.deployment}. Signals since it went out:\n${v.signals}`,
      },
    ],
  },
  incident_jira: {
    id: "incident_jira",
    tier: "light",
    maxTokens: 250,
    versions: [
      {
        version: 1,
        weight: 1,
        system: "You write the first triage note of an incident ticket, in at most three sentences.",
        user: (v) =>
          `Incident: ${v.title}\nSuspected deployment: ${v.deployment}\nRecent commits:\n${v.commits}`,
      },
    ],
  },
  heal_tiebreak: {
    id: "heal_tiebreak",
    tier: "light",
    // One probability per candidate (at most the reranker's top k): a short JSON object.
    maxTokens: 150,
    versions: [
      {
        version: 1,
        weight: 1,
        system:
          "You match a UI element from an old version of a web page to the candidates on the new version. " +
          'Reply with JSON only: {"scores": {"<index>": <probability 0..1 that this candidate is the same element>}}.',
        user: (v) => `Old element:\n${v.target}\n\nCandidates on the new page:\n${v.candidates}`,
      },
    ],
  },
};

/** FNV-1a: a stable, cheap hash for the traffic split. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function pickVersion(template: PromptTemplate, subject: string): PromptVersion {
  const live = template.versions.filter((v) => v.weight > 0);
  const total = live.reduce((sum, v) => sum + v.weight, 0);
  let point = ((hash(`${template.id}:${subject}`) % 10_000) / 10_000) * total;
  for (const version of live) {
    point -= version.weight;
    if (point < 0) return version;
  }
  return live[live.length - 1] as PromptVersion;
}

/**
 * Secrets never reach a provider or a log: values that look like credentials (provider key formats,
 * bearer tokens, JWTs, URL passwords, `key=value` secrets) are replaced before a prompt is sent.
 */
const SECRET_PATTERNS: RegExp[] = [
  /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}/g,
  /\b(?:ghp|gho|ghs|ghu|github_pat|glpat|xox[abprs])[-_][A-Za-z0-9_-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bwhsec_[A-Za-z0-9+/=]{10,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /(\/\/[^/\s:@]+:)[^/\s@]+@/g,
  /\b((?:password|passwd|secret|token|api[_-]?key)\s*[=:]\s*)[^\s&"']+/gi,
];

export function maskSecretsInText(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix: unknown) =>
      typeof prefix === "string" && match.startsWith(prefix) ? `${prefix}***` : "***",
    );
  }
  return out;
}
