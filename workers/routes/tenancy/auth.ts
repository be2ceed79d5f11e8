import type { Context } from "hono";
import { signIn, signUp, whoAmI, type RequestOrigin } from "../../../shared/auth/accounts.ts";
import { authTokenSettings } from "../../../shared/auth/token.ts";
import { authSessionSchema, meSchema, signInSchema, signUpSchema } from "../../../shared/contract/tenancy.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";

const tags = ["Auth"];

/** Where an unauthenticated request came from (sign-up and sign-in have no principal yet). */
function originOf(c: Context<HonoEnv>): RequestOrigin {
  return {
    ip: c.req.header("cf-connecting-ip") ?? null,
    userAgent: c.req.header("user-agent") ?? null,
    requestId: c.get("requestId"),
  };
}

export function registerAuthRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/auth/signup",
      access: "public",
      errors: [400, 409],
      tags,
      summary: "Create an account and its first organisation",
      request: { body: jsonBody(signUpSchema) },
      responses: { 201: jsonContent(authSessionSchema, "Signed in") },
    }),
    async function signUpHandler(c) {
      const { db, config } = c.get("services");
      return c.json(await signUp(db, authTokenSettings(config), originOf(c), c.req.valid("json")), 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/auth/signin",
      access: "public",
      errors: [400, 401],
      tags,
      summary: "Sign in with email and password",
      request: { body: jsonBody(signInSchema) },
      responses: { 200: jsonContent(authSessionSchema, "Signed in") },
    }),
    async function signInHandler(c) {
      const { db, config } = c.get("services");
      const defer = (work: Promise<unknown>) => c.executionCtx.waitUntil(work);
      const session = await signIn(db, authTokenSettings(config), originOf(c), c.req.valid("json"), defer);
      return c.json(session, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/me",
      access: "orgless",
      tags,
      summary: "Who am I: the user or API key and the current organisation",
      responses: { 200: jsonContent(meSchema, "The principal") },
    }),
    async function meHandler(c) {
      return c.json(await whoAmI(c.get("services").db, c.get("principal")), 200);
    },
  );
}
