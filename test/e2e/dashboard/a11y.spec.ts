import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { newAccount, signUp } from "./helpers.ts";
import { SCREENS, type Screen } from "./screen-list.ts";
import { type Seeded, seedOrg } from "./seed.ts";

// Every screen of a seeded organisation (listed in screen-list.ts), at a phone's width: nothing scrolls
// sideways at 390 px and axe finds nothing serious or critical (contrast, names, labels, landmarks). The
// shell's desktop layout (sidebar instead of top bar) gets one more axe pass at 1280 px. One test walks all
// screens with soft assertions, so a run reports every failing screen at once; each screen is a step.

// Generous waits: the suite shares two cores with wrangler, workerd and Chromium.
const timeout = 30_000;

async function open(page: Page, screen: Screen, seed: Seeded) {
  const inner = screen.path(seed);
  await page.goto(screen.signedOut ? inner : `/o/${seed.orgId}/p/${seed.projectId}${inner}`);
  const heading = page.getByRole("heading", { level: 1, name: screen.heading });
  if (screen.heading) await expect(heading).toBeVisible({ timeout });
  if (screen.ready) await expect(screen.ready(page)).toBeVisible({ timeout });
  // Lazily loaded parts and their data: no spinner left.
  await expect(page.locator(".loading, [aria-busy='true']")).toHaveCount(0, { timeout });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("every screen: no sideways overflow at 390 px, no serious or critical axe violations", async ({
  browser,
}) => {
  test.setTimeout(SCREENS.length * 45_000);
  const owner = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await owner.newPage();
  await signUp(page, newAccount("Ada Axe"));
  const seed = await seedOrg(page, owner.request);
  const visitor = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const signedOut = await visitor.newPage();

  for (const screen of SCREENS) {
    await test.step(screen.name, async () => {
      const tab = screen.signedOut ? signedOut : page;
      await open(tab, screen, seed);
      const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect
        .soft(overflow, `${screen.name} scrolls sideways by ${overflow}px at 390px`)
        .toBeLessThanOrEqual(0);
      expect.soft(await seriousViolations(tab), `axe on ${screen.name}`).toEqual([]);
    });
  }

  await test.step("desktop shell", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await open(page, SCREENS.find((s) => s.name === "ci runs")!, seed);
    expect.soft(await seriousViolations(page), "axe on the desktop shell").toEqual([]);
  });
  await Promise.all([owner.close(), visitor.close()]);
});
