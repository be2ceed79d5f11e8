import { createHmac, randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  expect,
  type Page,
} from "@playwright/test";

export type Account = { name: string; email: string; password: string; orgName: string };

export function newAccount(name: string): Account {
  const tag = randomUUID().slice(0, 8);
  return {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, ".")}.${tag}@e2e.shifty.test`,
    password: `pw-${randomUUID()}`,
    orgName: `${name}'s QA ${tag}`,
  };
}

/**
 * Collects what a person would see in the devtools console as an error: console.error calls, uncaught
 * exceptions, and failed requests (Chromium logs 4xx/5xx responses as console errors too).
 */
export function watchConsole(page: Page, options: { allowUrl?: (url: string) => boolean } = {}): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // An expected answer (a documented 404 meaning "not set up yet") can be allowed by its request URL.
    if (options.allowUrl?.(message.location().url)) return;
    errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** Opens the dashboard's sign-up form and fills it in, without submitting it. */
export async function fillSignUp(page: Page, account: Account) {
  await page.goto("/");
  await page.getByRole("tab", { name: "Sign up" }).click();
  await page.getByLabel("Your name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByLabel(/Organisation name/).fill(account.orgName);
}

/** Fills in and submits the sign-in form the page shows. */
export async function submitSignIn(page: Page, account: { email: string; password: string }) {
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs up through the dashboard's form and waits for the signed-in shell. */
export async function signUp(page: Page, account: Account) {
  await fillSignUp(page, account);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByLabel("Organisation", { exact: true })).toHaveValue(/^org_/);
}

/**
 * A new account (`newAccount(name)`) signed up through the form, the console watched from before the first
 * page (`allowUrl` as in watchConsole); `acceptDialogs` answers every confirm() with OK.
 */
export async function signUpNew(
  page: Page,
  name: string,
  options: { allowUrl?: (url: string) => boolean; acceptDialogs?: boolean } = {},
) {
  const errors = watchConsole(page, options);
  if (options.acceptDialogs) page.on("dialog", (dialog) => dialog.accept());
  const account = newAccount(name);
  await signUp(page, account);
  return { errors, account };
}

/** `signUpNew`, then the new organisation's current project and the dashboard's credentials (`apiAs`). */
export async function signUpInProject(
  page: Page,
  request: APIRequestContext,
  name: string,
  options: Parameters<typeof signUpNew>[2] = {},
) {
  const { errors, account } = await signUpNew(page, name, options);
  const projectId = await currentProjectId(page);
  return { errors, account, projectId, ...(await apiAs(page, request)) };
}

export async function go(page: Page, label: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }).click();
  await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
}

/** Opens a screen's sub-page: the link `link` in the sub-navigation named `nav` ("CI pages", …). */
export async function openSubPage(page: Page, nav: string, link: string) {
  await page.getByRole("navigation", { name: nav }).getByRole("link", { name: link }).click();
}

/** Screenshots for people to look at, when SHIFTY_E2E_SCREENSHOTS names a folder. */
export async function snapshot(page: Page, name: string) {
  const dir = process.env.SHIFTY_E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/**
 * The dashboard's sign-in token, to drive the API directly in setup steps: page scripts cannot read the
 * HttpOnly cookie, but the browser context can, and the API accepts the same token as a Bearer.
 */
export async function bearerOf(page: Page): Promise<{ token: string; orgId: string }> {
  const cookie = (await page.context().cookies()).find((c) => c.name === "shifty_session");
  const orgId = await page.evaluate(() => sessionStorage.getItem("shifty.org") ?? "");
  return { token: cookie?.value ?? "", orgId };
}

/** Another person: a browser context of their own (its own cookie jar), a page in it, its console watched. */
export async function newPerson(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  return { context, page, errors: watchConsole(page) };
}

export async function closeAll(...contexts: BrowserContext[]) {
  await Promise.all(contexts.map((c) => c.close()));
}

/** The dashboard's own credentials, used from the spec to seed data through the real API. */
export async function apiAs(page: Page, request: APIRequestContext) {
  const { token, orgId } = await bearerOf(page);
  const headers = { Authorization: `Bearer ${token}`, "X-Org-Id": orgId };
  async function call<T>(
    method: string,
    path: string,
    body?: { json?: unknown; raw?: string | Buffer; contentType?: string },
  ): Promise<T> {
    const send = () =>
      request.fetch(path, {
        method,
        headers: {
          ...headers,
          ...(body?.contentType ? { "Content-Type": body.contentType } : {}),
          ...(body?.json !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        data: body?.json !== undefined ? JSON.stringify(body.json) : body?.raw,
      });
    let res = await send();
    // Seeding more than the free plan's burst (120 requests) waits as a client should, once.
    if (res.status() === 429) {
      const seconds = Number(res.headers()["retry-after"] ?? "1");
      await new Promise((resolve) => setTimeout(resolve, Math.min(30, Math.max(1, seconds)) * 1000));
      res = await send();
    }
    if (!res.ok()) throw new Error(`${method} ${path} → ${res.status()}: ${await res.text()}`);
    return (res.status() === 204 ? undefined : await res.json()) as T;
  }
  return { call, token, orgId };
}

/** The current project's id, as the switcher shows it. */
export async function currentProjectId(page: Page): Promise<string> {
  const select = page.getByLabel("Project", { exact: true });
  await expect(select).toHaveValue(/^prj_/);
  return select.inputValue();
}

/**
 * A GitHub webhook (`event`, `payload` as JSON) delivered to a source's public URL, signed with its secret
 * (X-Hub-Signature-256); throws unless ingest accepts it (202).
 */
export async function postGithubEvent(
  request: APIRequestContext,
  source: { id: string; secret: string },
  event: string,
  payload: unknown,
) {
  const body = JSON.stringify(payload);
  const delivered = await request.post(`/hooks/${source.id}`, {
    headers: {
      "Content-Type": "application/json",
      "X-GitHub-Event": event,
      "X-GitHub-Delivery": randomUUID(),
      "X-Hub-Signature-256": `sha256=${createHmac("sha256", source.secret).update(body).digest("hex")}`,
    },
    data: body,
  });
  if (delivered.status() !== 202) throw new Error(`webhook ingest answered ${delivered.status()}`);
}

/** A GitHub push of acme/shop's main branch, delivered as `postGithubEvent` does. */
export async function postGithubPush(request: APIRequestContext, source: { id: string; secret: string }) {
  await postGithubEvent(request, source, "push", {
    ref: "refs/heads/main",
    after: "a1b2c3d4e5f6",
    repository: { full_name: "acme/shop" },
  });
}

/** At a phone's width (390 px): no sideways overflow and no serious or critical axe violation; back to 1280 after. */
export async function expectPhoneFriendly(page: Page) {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
  ).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 720 });
}

/** For `allowUrl`: GET …/integrations/github answers 404 ("not set up") until GitHub is connected. */
export const githubNotConnected = (url: string) => url.endsWith("/integrations/github");

type Call = Awaited<ReturnType<typeof apiAs>>["call"];
type HealAnswer = { healed: boolean; attemptId: string; selector: string | null };

/**
 * A DOM heal of `#buy` (`previousDom` → `dom`) through the real engine, then the healed locator a test run
 * records for it at `location` ("tests/cart.spec.ts:5:3", its file first), as in docs/heal-review.md.
 * `healedSelector` is the selector the run records: given, or picked from the engine's answer.
 */
export async function healAndRecord(
  call: Call,
  projectId: string,
  heal: {
    dom: string;
    previousDom: string;
    testTitle: string;
    location: string;
    confidence: number;
    healedSelector: string | ((answer: HealAnswer) => string);
  },
) {
  const answer = await call<HealAnswer>("POST", "/v1/heal", {
    json: { selector: "#buy", dom: heal.dom, previousDom: heal.previousDom, projectId },
  });
  await call("POST", `/v1/projects/${projectId}/heals`, {
    json: {
      testFile: heal.location.split(":")[0],
      testTitle: heal.testTitle,
      location: heal.location,
      originalSelector: "#buy",
      healedSelector:
        typeof heal.healedSelector === "string" ? heal.healedSelector : heal.healedSelector(answer),
      confidence: heal.confidence,
      attemptId: answer.attemptId,
    },
  });
}
