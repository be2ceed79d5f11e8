import { HTTPException } from "hono/http-exception";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { Toucan } from "toucan-js";
import { dependencyFailureIn } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { jsonLogger } from "../shared/logger.ts";
import { ConfigError } from "./env.ts";
import { ApiError, problemResponse } from "./errors.ts";
import { authenticate } from "./middleware/auth.ts";
import { requestTimeout } from "./middleware/limits.ts";
import { requestLogger } from "./middleware/logger.ts";
import { securityHeaders, strictCors } from "./middleware/security.ts";
import { createRouter } from "./openapi.ts";
import { repairOpenApiDocument } from "./openapi-document.ts";
import { registerDocsRoute } from "./routes/docs.ts";
import { registerHealthRoutes } from "./routes/health.ts";
import { registerV1Routes } from "./routes/index.ts";
import { registerMcpServerRoutes } from "./routes/mcp/server.ts";
import { registerMetricsRoute } from "./routes/metrics.ts";
import { registerIngestRoute } from "./routes/webhooks/ingest.ts";
import { createServices } from "./services.ts";

/**
 * The Hono app. Middleware order is part of the design (docs/architecture.md, "Request path"):
 * request id → services → log line → security headers → CORS → 405 → timeout, then per route (from
 * the properties it declares, workers/route.ts): body limit → media type → auth → rate limit →
 * permission → validation → handler.
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
    c.set("services", createServices(c.env, { requestId: c.get("requestId") }));
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
  app.use(requestTimeout());

  registerHealthRoutes(app);
  registerMetricsRoute(app);
  registerIngestRoute(app);
  registerMcpServerRoutes(app);
  const v1 = createRouter();
  registerV1Routes(v1);
  app.route("/v1", v1);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key (`shf_…`) or a dashboard session token",
  });
  app.get("/openapi.json", (c) =>
    c.json(
      repairOpenApiDocument(
        app.getOpenAPI31Document({
          openapi: "3.1.0",
          info: {
            title: "Shifty API",
            version: "1.0.0",
            description:
              "Selector healing, CI fabric, manual session hub and integrations. Errors are RFC 9457 problem+json.",
          },
          servers: [{ url: new URL(c.req.url).origin }],
        }),
      ),
    ),
  );
  registerDocsRoute(app);

  app.notFound(unknownRoute);
  app.onError(problemForError);

  return app;
}

type AppContext = Parameters<Parameters<ReturnType<typeof createRouter>["onError"]>[0]>[1];

/** 404 for a path no route matches. */
async function unknownRoute(c: AppContext) {
  // Unknown /v1 paths ask for credentials first: an anonymous caller learns nothing about routes.
  if (c.req.path.startsWith("/v1/")) {
    try {
      await authenticate("orgless")(c, async () => {});
    } catch (error) {
      if (error instanceof ApiError && !dependencyFailureIn(error)) {
        return problemResponse(c, error.code, error.message, error);
      }
      throw error;
    }
  }
  return problemResponse(c, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`);
}

/** Every thrown error as problem+json: dependency 503, ApiError as it says, config 503, Hono's own, else 500. */
function problemForError(error: Error, c: AppContext) {
  const dependency = dependencyFailureIn(error);
  if (dependency) {
    // The one log line of this failure: which component, which binding, what it said.
    (c.get("services")?.logger ?? jsonLogger({ requestId: c.get("requestId") })).error(
      "dependency unavailable",
      {
        component: dependency.component,
        binding: dependency.binding,
        error: String(dependency.cause),
      },
    );
    return problemResponse(c, "unavailable", dependency.message, { headers: dependency.headers });
  }
  if (error instanceof ApiError) {
    return problemResponse(c, error.code, error.message, { errors: error.errors, headers: error.headers });
  }
  if (error instanceof ConfigError) {
    jsonLogger({ requestId: c.get("requestId") }).error(error.message);
    return problemResponse(c, "not_configured", "The service is not configured; see the server log");
  }
  if (error instanceof HTTPException) {
    // Hono's own (the JSON validator's "Malformed JSON in request body", the timeout's 504).
    const code =
      error.status === 400
        ? "malformed_json"
        : error.status === 413
          ? "payload_too_large"
          : error.status === 504
            ? "timeout"
            : "bad_request";
    return problemResponse(c, code, error.message || "Bad request");
  }
  reportToSentry(c, error);
  (c.get("services")?.logger ?? jsonLogger({ requestId: c.get("requestId") })).error("unhandled", {
    error: String(error),
  });
  return problemResponse(c, "internal", `Something went wrong; quote request id ${c.get("requestId")}`);
}

/** 5xx only, tagged with request id and org, when the validated config has a Sentry DSN. */
function reportToSentry(c: AppContext, error: unknown) {
  const config = c.get("services")?.config;
  if (!config?.sentryDsn) return;
  try {
    const sentry = new Toucan({
      dsn: config.sentryDsn,
      context: c.executionCtx,
      request: c.req.raw,
      environment: config.appEnv,
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
