import { describe, expect, it } from "vitest";
import { repoText } from "../support/repo-text.ts";

// The floors of docs/architecture.md, kept by a test rather than by memory: workers/ over
// durable-objects/ over shared/, the dashboard and the SDK reaching the server only through
// shared/contract, no import cycle (type imports count: they tie files together just the same), and
// no server file over 450 lines.

/** The server, dashboard and SDK sources (bench, scripts and docs are not layered). */
const sources = new Map(
  [...repoText].filter(([file]) =>
    /^(workers|durable-objects|shared|web\/src|sdk\/[^/]+\/src)\/.*\.tsx?$/.test(file),
  ),
);

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
const FLOOR: Record<string, number> = { shared: 1, "durable-objects": 2, workers: 3 };

/** `a/b/../c.ts` → `a/c.ts`. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "..") out.pop();
    else if (part !== ".") out.push(part);
  }
  return out.join("/");
}

/** The files each file imports by a relative path (the ones in the tree read here). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of sources) {
    const folder = file.replace(/[^/]+$/, "");
    const deps: string[] = [];
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2];
      if (!spec?.startsWith(".")) continue;
      const target = normalise(folder + spec);
      const found = [target, `${target}.ts`, `${target}.tsx`, `${target}/index.ts`].find((p) =>
        sources.has(p),
      );
      if (found) deps.push(found);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Strongly connected components of more than one file (Tarjan): each is an import cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const dep of graph.get(file) ?? []) {
      if (!index.has(dep)) {
        visit(dep);
        low.set(file, Math.min(low.get(file)!, low.get(dep)!));
      } else if (onStack.has(dep)) low.set(file, Math.min(low.get(file)!, index.get(dep)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let top: string;
    do {
      top = stack.pop()!;
      onStack.delete(top);
      component.push(top);
    } while (top !== file);
    if (component.length > 1) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe("layering", () => {
  const graph = importGraph();

  it("reads the tree it checks", () => {
    expect(sources.size).toBeGreaterThan(400);
    expect(graph.get("workers/route.ts")).toContain("workers/openapi.ts");
  });

  it("has no import cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const looped = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(cycles(looped)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("never imports a floor up, and the dashboard and SDK reach the server only through shared/contract", () => {
    const climbs: string[] = [];
    for (const [file, deps] of graph) {
      const from = file.split("/")[0]!;
      for (const dep of deps) {
        const to = dep.split("/")[0]!;
        const upward = from in FLOOR && to in FLOOR && FLOOR[to]! > FLOOR[from]!;
        const client =
          (from === "web" || from === "sdk") && to !== from && !dep.startsWith("shared/contract/");
        if (upward || client) climbs.push(`${file} → ${dep}`);
      }
    }
    expect(climbs).toEqual([]);
  });

  it("keeps every server file within 450 lines", () => {
    const long = [...sources]
      .filter(([file]) => /^(workers|durable-objects|shared)\//.test(file))
      .map(([file, text]) => [file, text.split("\n").length - (text.endsWith("\n") ? 1 : 0)] as const)
      .filter(([, lines]) => lines > 450)
      .map(([file, lines]) => `${file}: ${lines} lines`);
    expect(long).toEqual([]);
  });
});
