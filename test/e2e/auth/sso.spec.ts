import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import Provider from "oidc-provider";
import { apiAs, newAccount, signUp } from "../dashboard/helpers.ts";

/**
 * Single sign-on against a real OpenID provider (the `oidc-provider` package, its development login
 * and consent pages) started here on a loopback port: the e2e server runs in development mode, where
 * the outbound-URL policy allows loopback (shared/net/outbound-url.ts).
 */
const CLIENT_ID = "shifty-e2e";
const CLIENT_SECRET = randomBytes(24).toString("base64url");
const SSO_DOMAIN = "sso.e2e.shifty.test";

// Sign-up, a provider round trip and the dashboard on two loaded cores take longer than the default.
test.setTimeout(180_000);

let provider: Provider;
let server: ReturnType<Provider["listen"]>;
let issuer = "";

test.beforeAll(async () => {
  const shifty = process.env.SHIFTY_URL ?? "http://127.0.0.1:8787";
  // The issuer must be known before the provider exists: take a free port first.
  const probe = (await import("node:net")).createServer();
  const port = await new Promise<number>((resolve) =>
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    }),
  );
  issuer = `http://127.0.0.1:${port}`;
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${shifty}/v1/auth/sso/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Scope claims in the ID token itself (Shifty reads no userinfo).
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(16).toString("hex")] },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: `idp|${id}`, email: id, email_verified: true, name: "Dana Sso" }),
    }),
  });
  server = provider.listen(port, "127.0.0.1");
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

test("sign in via SSO lands in the dashboard of the right organisation, as a new member", async ({
  page,
  browser,
  request,
}) => {
  const owner = newAccount("Owner");
  await signUp(page, owner);
  const admin = await apiAs(page, request);
  const connection = await admin.call<{ signInUrl: string }>("PUT", "/v1/sso", {
    json: {
      issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      allowedDomains: [SSO_DOMAIN],
      defaultRole: "viewer",
    },
  });
  const slug = new URL(connection.signInUrl).searchParams.get("org")!;
  const orgId = await page.getByLabel("Organisation", { exact: true }).inputValue();

  // Another person, another browser: only the provider knows them.
  const context = await browser.newContext();
  // The provider's development pages @import a web font; there is no network to fetch it from.
  await context.route(/fonts\.googleapis\.com|fonts\.gstatic\.com/, (route) => route.abort());
  const visitor = await context.newPage();
  await visitor.goto("/");
  await visitor.getByLabel("Organisation (slug or id)").fill(slug);
  await visitor.getByRole("button", { name: "Continue with SSO" }).click();
  await expect(visitor).toHaveURL(new RegExp(`^${issuer}/`));
  await visitor.locator("input[name=login]").fill(`dana@${SSO_DOMAIN}`);
  await visitor.locator("input[name=password]").fill("anything");
  await visitor.getByRole("button", { name: "Sign-in" }).click();
  await visitor.getByRole("button", { name: "Continue" }).click();

  await expect(visitor.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(visitor).toHaveURL(new RegExp(`/o/${orgId}`));
  await expect(visitor.getByLabel("Organisation", { exact: true })).toHaveValue(orgId);
  await expect(visitor.locator(".me-name")).toHaveText("Dana Sso");
  await expect(visitor.locator(".me-role")).toContainText("viewer");
  await context.close();
});
