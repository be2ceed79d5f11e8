import { createInterface } from "node:readline/promises";

/**
 * CLI guardrails: secrets never reach the terminal or a CI log, and commands that write files or push
 * to GitHub ask first (or take `--yes`).
 */

/** Credential shapes masked wherever they appear: Shifty keys, GitHub/GitLab tokens, bearer values. */
const SECRET_PATTERNS = [
  /\bshf_[0-9A-Za-z]{8,}/g,
  /\b(?:ghp|gho|ghs|ghu|github_pat|glpat)_[0-9A-Za-z_]{8,}/g,
  /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];

/** Replaces the given secret values and anything shaped like a credential with `***`. */
export function maskSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 8) out = out.split(secret).join("***");
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, scheme: unknown) =>
      typeof scheme === "string" && match.startsWith(scheme) ? `${scheme} ***` : "***",
    );
  }
  return out;
}

/** The secrets this process knows by name, to mask even when they do not look like one. */
export function knownSecrets(env: Record<string, string | undefined>): (string | undefined)[] {
  return [env.SHIFTY_API_KEY, env.GITHUB_TOKEN, env.GH_TOKEN];
}

/** Asks on the terminal; undefined when there is none (CI, a pipe): the caller must have `--yes`. */
export function terminalConfirm(): ((question: string) => Promise<boolean>) | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
    } finally {
      rl.close();
    }
  };
}
