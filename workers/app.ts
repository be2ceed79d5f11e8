import { HTTPException } from "hono/http-exception";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { Toucan } from "toucan-js";
import { createDb } from "../shared/db/client.ts";
import { newId } from "../shared/ids.ts";
import { ConfigError, loadConfig } from "./env.ts";
import { ApiError, problemResponse } from "./errors.ts";
import { authenticate } from "./middleware/auth.ts";
import { requestBodyLimit, requestTimeout, requireJsonBodies } from "./middleware/limits.ts";
import { requestLogger } from "./middleware/logger.ts";
import { rateLimit } from "./middleware/rate-limit.ts";
import { securityHeaders, strictCors } from "./middleware/security.ts";
import { createRouter } from "./openapi.ts";
import { registerDocsRoute } from "./routes/docs.ts";
import { registerHealthRoutes } from "./routes/health.ts";
import { registerIngestRoute } from "./routes/hooks/ingest.ts";
import { registerV1Routes } from "./routes/index.ts";

/**
 * The Hono app. Middleware order is part of the design (issue #2):
 * request id → log line → security headers → CORS → body limit → timeout → auth → tenant → rate limit.
 */
export function buildApp() {
  const app = createRouter();

  app.use(
    requestId({
      headerName: "X-Request-Id",
      generator: () => newId("req"),
      limitLength: 128,
    }),
  );
  app.use(async function services(c, next) {
    // Throws ConfigError (→ 503 for every request) when a secret is missing or weak.
    const config = loadConfig(c.env);
    c.set("services", { config, db: createDb(c.env.DB) });
    await next();
  });
  app.use(requestLogger());
  app.use(securityHeaders());
  app.use(strictCors());
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => {
        const res = problemResponse(c, "method_not_allowed", `Use ${methods.join(", ")} on this path`);
        res.headers.set("Allow", methods.join(", "));
        return res;
      },
    }),
  );
  app.use(requestBodyLimit());
  app.use(requestTimeout());
  app.use("/v1/*", requireJsonBodies());
  // auth resolves the principal; it also pins the tenant (org) and refuses org-bound paths without one.
  app.use("/v1/*", authenticate());
  app.use("/v1/*", rateLimit());

  registerHealthRoutes(app);
  registerIngestRoute(app);
  const v1 = createRouter();
  registerV1Routes(v1);
  app.route("/v1", v1);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key (`shf_…`) or a dashboard session token",
  });
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Shifty API",
      version: "1.0.0",
      description:
        "Selector healing, CI fabric, manual session hub and integrations. Errors are RFC 9457 problem+json.",
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  registerDocsRoute(app);

  app.notFound((c) =>
    problemResponse(c, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`),
  );

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return problemResponse(c, error.code, error.message, { errors: error.errors, headers: error.headers });
    }
    if (error instanceof ConfigError) {
      console.error(JSON.stringify({ level: "error", msg: error.message, requestId: c.get("requestId") }));
      return problemResponse(c, "not_configured", "The service is not configured; see the server log");
    }
    if (error instanceof HTTPException) {
      // Hono's own (e.g. the JSON validator's "Malformed JSON in request body").
      const code =
        error.status === 400 ? "malformed_json" : error.status === 413 ? "payload_too_large" : "bad_request";
      return problemResponse(c, code, error.message || "Bad request");
    }
    reportToSentry(c, error);
    console.error(
      JSON.stringify({
        level: "error",
        msg: "unhandled",
        requestId: c.get("requestId"),
        error: String(error),
      }),
    );
    return problemResponse(c, "internal", `Something went wrong; quote request id ${c.get("requestId")}`);
  });

  return app;
}

/** 5xx only, tagged with request id and org, when SENTRY_DSN is configured. */
function reportToSentry(
  c: Parameters<Parameters<ReturnType<typeof createRouter>["onError"]>[0]>[1],
  error: unknown,
) {
  const dsn = c.env.SENTRY_DSN;
  if (!dsn) return;
  try {
    const sentry = new Toucan({
      dsn,
      context: c.executionCtx,
      request: c.req.raw,
      environment: c.env.APP_ENV,
    });
    sentry.setTag("requestId", c.get("requestId"));
    const orgId = c.get("logOrgId");
    if (orgId) sentry.setTag("org", orgId);
    sentry.captureException(error);
  } catch {
    // Reporting must never turn a 500 into a crash.
  }
}

export type App = ReturnType<typeof buildApp>;
