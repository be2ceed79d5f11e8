/// <reference types="vite/types/importMeta.d.ts" />

// The repository's own files as text, for the tests that check the tree itself (citations, layering).
// Read through Vite's `?raw` at build time: workerd has no host file system.
const globbed = import.meta.glob(
  [
    "../../{workers,durable-objects,shared,sdk,bench,scripts}/**/*.{ts,tsx,mjs}",
    "../../web/src/**/*.{ts,tsx}",
    "../../docs/**/*.md",
    "../../{README,CONTRIBUTING}.md",
    "../../migrations/*.sql",
    "!../../**/node_modules/**",
    "!../../**/dist/**",
  ],
  { query: "?raw", import: "default", eager: true },
) as Record<string, string>;

/** File text by its path in the repository (`docs/heal-model.md`, `shared/ids.ts`). */
export const repoText: ReadonlyMap<string, string> = new Map(
  Object.entries(globbed).map(([path, text]) => [path.replace(/^\.\.\/\.\.\//, ""), text]),
);
