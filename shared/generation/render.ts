// Renders a test plan into Playwright Test source: one spec per start page plus playwright.config.ts.
// Specs import only @playwright/test, find elements by role/label/placeholder/text/test id, navigate with
// relative URLs (the config's baseURL picks the deployment) and assert with web-first assertions. A test
// without steps is an arrival test: what the page shows right after `page.goto`.
import type { Action, Effect, Target } from "../contract/generation.ts";
import { fileFor, type PlannedTest, type TestPlan } from "./planner.ts";

export type RenderedFile = { path: string; content: string; tests: number };

const q = (s: string) => JSON.stringify(s);

export function locatorOf(target: Target): string {
  const exact = target.exact === false ? "" : ", exact: true";
  const scope = target.within
    ? `page.getByRole(${q(target.within.role)}).filter({ hasText: ${q(target.within.hasText)} })`
    : "page";
  switch (target.by) {
    case "role":
      return target.name
        ? `${scope}.getByRole(${q(target.role ?? "generic")}, { name: ${q(target.name)}${exact} })`
        : `${scope}.getByRole(${q(target.role ?? "generic")})`;
    case "label":
      return `${scope}.getByLabel(${q(target.name)}${exact ? ", { exact: true }" : ""})`;
    case "placeholder":
      return `${scope}.getByPlaceholder(${q(target.name)}${exact ? ", { exact: true }" : ""})`;
    case "testid":
      return `${scope}.getByTestId(${q(target.name)})`;
    default:
      return `${scope}.getByText(${q(target.name)}${exact ? ", { exact: true }" : ""})`;
  }
}

/**
 * The statements of one step. A key pressed on the page first waits for the element that had the focus
 * while exploring: a page may focus it a moment later (in a timer), and the key must not go elsewhere.
 */
export function actionLines(action: Action): string[] {
  const line = actionLine(action);
  return action.type === "press" && !action.target && action.focused
    ? [`await expect(${locatorOf(action.focused)}).toBeFocused();`, line]
    : [line];
}

function actionLine(action: Action): string {
  switch (action.type) {
    case "goto":
      return `await page.goto(${q(action.value ?? "/")});`;
    case "reload":
      return "await page.reload();";
    default:
      return interaction(action.target ? locatorOf(action.target) : "", action.type, action.value);
  }
}

/**
 * The statement doing `type` on the element `loc` finds (with `value`: the text filled, the key pressed,
 * the option selected); a key pressed with no element (`loc` empty) goes to the page's keyboard.
 */
export function interaction(loc: string, type: Exclude<Action["type"], "goto" | "reload">, value?: string) {
  switch (type) {
    case "fill":
      return `await ${loc}.fill(${q(value ?? "")});`;
    case "press":
      return loc
        ? `await ${loc}.press(${q(value ?? "Enter")});`
        : `await page.keyboard.press(${q(value ?? "Enter")});`;
    case "select":
      return `await ${loc}.selectOption({ label: ${q(value ?? "")} });`;
    default:
      return `await ${loc}.${type}();`;
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

export function assertionLine(effect: Effect): string {
  switch (effect.kind) {
    case "url":
      // Anchored at the end and relative to any origin, so the suite runs against another BASE_URL.
      return `await expect(page).toHaveURL(/${escapeRegExp(effect.value ?? "/")}$/);`;
    case "text-visible":
      return `await expect(page.getByText(${q(effect.value ?? "")}, { exact: true })).toBeVisible();`;
    case "text-gone":
      return `await expect(page.getByText(${q(effect.value ?? "")}, { exact: true })).toBeHidden();`;
    case "count":
      return `await expect(${locatorOf(effect.target!)}).toHaveCount(${effect.count ?? 0});`;
    case "checked":
      return effect.checked
        ? `await expect(${locatorOf(effect.target!)}).toBeChecked();`
        : `await expect(${locatorOf(effect.target!)}).not.toBeChecked();`;
    case "enabled":
      return `await expect(${locatorOf(effect.target!)}).${effect.enabled ? "toBeEnabled" : "toBeDisabled"}();`;
    case "attribute":
      return effect.value === undefined
        ? `await expect(${locatorOf(effect.target!)}).not.toHaveAttribute(${q(effect.attribute ?? "")});`
        : `await expect(${locatorOf(effect.target!)}).toHaveAttribute(${q(effect.attribute ?? "")}, ${q(effect.value)});`;
    default:
      return `await expect(${locatorOf(effect.target!)}).toHaveValue(${q(effect.value ?? "")});`;
  }
}

function renderTest(test: PlannedTest): string {
  const lines = [
    `// ${test.intent.replace(/\s+/g, " ")}`, // one line, whatever the texts it quotes contain
    `test(${q(test.name)}, async ({ page }) => {`,
    `  await page.goto(${q(test.path)});`,
    ...test.steps.flatMap(actionLines).map((l) => `  ${l}`),
    ...test.assertions.map((a) => `  ${assertionLine(a)}`),
  ];
  if (test.afterReload.length) {
    lines.push("  // The change was stored: it survives a reload.", "  await page.reload();");
    lines.push(...test.afterReload.map((a) => `  ${assertionLine(a)}`));
  }
  lines.push("});");
  return lines.join("\n");
}

export function renderSpec(path: string, tests: PlannedTest[]): string {
  const header = [
    `// Generated by \`shifty generate\` from an exploration of ${path}. Every test starts in a fresh`,
    "// browser context; URLs are relative to the config's baseURL (BASE_URL).",
    'import { expect, test } from "@playwright/test";',
    "",
  ];
  return `${header.join("\n")}\n${tests.map(renderTest).join("\n\n")}\n`;
}

export function renderConfig(appUrl: string): string {
  return `// Generated by \`shifty generate\`. BASE_URL points the suite at another deployment; CHROMIUM_PATH
// runs it in an installed Chromium instead of Playwright's own.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  retries: 0,
  use: {
    baseURL: process.env.BASE_URL ?? ${q(appUrl)},
    launchOptions: process.env.CHROMIUM_PATH
      ? { executablePath: process.env.CHROMIUM_PATH, args: ["--no-sandbox", "--disable-gpu"] }
      : {},
  },
});
`;
}

/** The plan as files: one spec per start page, in the plan's order, and the config. */
export function renderPlan(plan: TestPlan, appUrl: string): RenderedFile[] {
  const byFile = new Map<string, PlannedTest[]>();
  for (const t of plan.tests) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t]);
  const specs = [...byFile].map(([file, tests]) => ({
    path: file,
    content: renderSpec(tests[0]!.path, tests),
    tests: tests.length,
  }));
  return [...specs, { path: "playwright.config.ts", content: renderConfig(appUrl), tests: 0 }];
}

export { fileFor };
