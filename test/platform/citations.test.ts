import { describe, expect, it } from "vitest";
import { repoText } from "../support/repo-text.ts";

// The repository explains itself (docs/architecture.md): code and docs cite docs/*.md and
// migrations/*.sql by path, so a renamed or renumbered file must not leave a citation pointing nowhere.
const sources = repoText;

const CITED = /\b(docs\/[\w./-]+\.md|migrations\/\d{4}_[\w-]+\.sql)\b/g;
/** A link from one doc to a sibling: `[heal-api.md](heal-api.md)`. */
const SIBLING_LINK = /\]\(([\w.-]+\.md)(?:#[^)]*)?\)/g;

/** The docs and migrations that exist, as they are cited (`docs/heal-model.md`, `migrations/0001_….sql`). */
const existing = new Set(
  [...sources.keys()].filter((path) => path.startsWith("docs/") || path.startsWith("migrations/")),
);

describe("citations", () => {
  it("reads the tree it checks", () => {
    expect(sources.size).toBeGreaterThan(300);
    expect(existing.has("docs/architecture.md")).toBe(true);
    expect(existing.has("migrations/0001_tenancy.sql")).toBe(true);
  });

  it("every docs/ and migrations/ path cited in code and docs exists", () => {
    const missing: string[] = [];
    for (const [file, text] of sources) {
      for (const [cited] of text.matchAll(CITED)) {
        if (!existing.has(cited)) missing.push(`${file} cites ${cited}`);
      }
      if (!file.startsWith("docs/")) continue;
      const folder = file.replace(/[^/]+$/, "");
      for (const [, sibling] of text.matchAll(SIBLING_LINK)) {
        if (!existing.has(`${folder}${sibling}`)) missing.push(`${file} links ${sibling}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("nothing cites a document a clone does not have (planning documents, issue numbers)", () => {
    const outside = /DESIGN §|\b(?:DESIGN|CONVENTIONS|TOOLCHAIN)\.md\b|\b[Ii]ssue #\d+/;
    const citing = [...sources].filter(([, text]) => outside.test(text)).map(([file]) => file);
    expect(citing).toEqual([]);
  });
});
