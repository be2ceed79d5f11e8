/**
 * Real-site healing data (Similo replication, 20 public sites), read at run time from the shared
 * data folder beside the repository: it is never copied into the repository. Absent file: null.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { HealingExample } from "../../shared/healing/training.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";

export type RealSite = { site: string; cases: HealingExample[] };

type RawApp = {
  app: string;
  candidates: ElementDescriptor[];
  cases: { target: ElementDescriptor; answer: number }[];
};

const RELATIVE = join("shared", "data", "real-sites", "train.json");

/**
 * `../shared/data/real-sites/train.json` from the repository root; a worktree kept one level deeper
 * than the shared folder finds it in an ancestor, so the search walks up from the root's parent.
 */
export function realSitesPath(): string | null {
  if (process.env.SHIFTY_REAL_SITES)
    return existsSync(process.env.SHIFTY_REAL_SITES) ? process.env.SHIFTY_REAL_SITES : null;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
  let dir = dirname(root);
  for (;;) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function loadRealSites(): RealSite[] | null {
  const path = realSitesPath();
  if (!path) return null;
  const data = JSON.parse(readFileSync(path, "utf8")) as { apps: RawApp[] };
  return data.apps.map((app) => ({
    site: app.app,
    cases: app.cases.map((c) => ({
      target: c.target,
      candidates: app.candidates,
      correctIndex: c.answer,
      kind: app.app,
    })),
  }));
}
