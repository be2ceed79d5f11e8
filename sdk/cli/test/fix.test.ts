import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { locatorExpression, rewriteSource, unifiedDiff } from "../src/fix.ts";

const source = `import { test, expect } from "@shifty/playwright";

test("signs in", async ({ page }) => {
  await page.locator("#login-btn").click();
  const add = page.getByText('Add to cart', { exact: true });
  await add.click();
  await expect(page.getByTestId("welcome")).toHaveText("Hi");
});
`;

describe("shifty heals --fix", () => {
  it("turns healed selectors into Playwright locator expressions", () => {
    expect(locatorExpression('[data-testid="save"]')).toBe('getByTestId("save")');
    expect(locatorExpression('role=button[name="Log in"]')).toBe(
      'getByRole("button", { name: "Log in", exact: true })',
    );
    expect(locatorExpression('text="Add to basket"', "'")).toBe(
      "getByText('Add to basket', { exact: true })",
    );
    expect(locatorExpression("#submit-signin")).toBe('locator("#submit-signin")');
    expect(locatorExpression('a[title="it\'s"]', "'")).toBe("locator('a[title=\"it\\'s\"]')");
  });

  it("rewrites the locator call at the recorded line:column and leaves assertions alone", () => {
    const { source: out, outcomes } = rewriteSource(source, [
      { line: 4, column: 14, originalSelector: "locator('#login-btn')", healedSelector: "#submit-signin" },
      {
        line: 5,
        column: 20,
        originalSelector: "getByText('Add to cart')",
        healedSelector: 'text="Add to basket"',
      },
    ]);
    expect(outcomes.map((o) => o.applied)).toEqual([true, true]);
    expect(out).toContain('await page.locator("#submit-signin").click();');
    expect(out).toContain("page.getByText('Add to basket', { exact: true });");
    expect(out).toContain('await expect(page.getByTestId("welcome")).toHaveText("Hi");');
  });

  it("reports a position that no longer holds a locator call", () => {
    const { outcomes } = rewriteSource(source, [
      { line: 1, column: 1, originalSelector: "x", healedSelector: "#y" },
      { line: 99, column: 1, originalSelector: "x", healedSelector: "#y" },
    ]);
    expect(outcomes.map((o) => o.applied)).toEqual([false, false]);
    expect(outcomes[1]!.reason).toMatch(/past the end/);
  });

  it("writes a unified diff that git apply accepts", () => {
    const { source: out } = rewriteSource(source, [
      { line: 4, column: 14, originalSelector: "locator('#login-btn')", healedSelector: "#submit-signin" },
    ]);
    const patch = unifiedDiff("tests/a.spec.ts", source, out);
    expect(patch).toContain('-  await page.locator("#login-btn").click();');
    expect(patch).toContain('+  await page.locator("#submit-signin").click();');
    expect(patch).not.toMatch(/^-.*expect/m);
    const dir = mkdtempSync(join(tmpdir(), "shifty-fix-"));
    execFileSync("mkdir", ["-p", join(dir, "tests")]);
    writeFileSync(join(dir, "tests", "a.spec.ts"), source);
    writeFileSync(join(dir, "p.patch"), patch);
    execFileSync("git", ["apply", "--check", "p.patch"], { cwd: dir });
    expect(unifiedDiff("x", "same", "same")).toBe("");
  });
});
