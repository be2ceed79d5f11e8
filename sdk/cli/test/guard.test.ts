import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFix, insideRoot } from "../src/index.ts";

const spec = `test("x", async ({ page }) => {\n  await page.locator("#old").click();\n});\n`;

function heal(location: string) {
  return {
    status: "accepted",
    location,
    originalSelector: "locator('#old')",
    healedSelector: "#new",
  } as unknown as Parameters<typeof buildFix>[1][number];
}

describe("heals --fix stays inside the repository root", () => {
  it("refuses server-supplied locations that climb out, are absolute, or symlink out", () => {
    const base = mkdtempSync(join(tmpdir(), "shifty-guard-"));
    const root = join(base, "repo");
    mkdirSync(join(root, "tests"), { recursive: true });
    writeFileSync(join(root, "tests", "a.spec.ts"), spec);
    writeFileSync(join(base, "outside.spec.ts"), spec);
    symlinkSync(join(base, "outside.spec.ts"), join(root, "tests", "link.spec.ts"));

    const { files, outcomes } = buildFix(root, [
      heal("tests/a.spec.ts:2:14"),
      heal("../outside.spec.ts:2:14"),
      heal(`${join(base, "outside.spec.ts")}:2:14`),
      heal("tests/link.spec.ts:2:14"),
    ]);
    expect(files.map((f) => f.path)).toEqual(["tests/a.spec.ts"]);
    const refused = outcomes.filter((o) => !o.outcome.applied).map((o) => o.file);
    expect(refused).toEqual(["../outside.spec.ts", join(base, "outside.spec.ts"), "tests/link.spec.ts"]);
    for (const o of outcomes.filter((x) => !x.outcome.applied)) {
      expect(o.outcome.reason).toBe("outside the repository root; refused");
    }
    // Nothing outside was touched.
    expect(readFileSync(join(base, "outside.spec.ts"), "utf8")).toBe(spec);
  });

  it("insideRoot is lexical and symlink-aware", () => {
    const root = mkdtempSync(join(tmpdir(), "shifty-root-"));
    expect(insideRoot(root, join(root, "a", "b.ts"))).toBe(true);
    expect(insideRoot(root, join(root, "..", "x.ts"))).toBe(false);
    expect(insideRoot(root, root)).toBe(false);
    expect(insideRoot(root, join(root, "..", `${root.split("/").pop()}-evil`, "x.ts"))).toBe(false);
  });
});
