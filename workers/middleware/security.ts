import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { HonoEnv } from "../hono-env.ts";

/** HSTS, nosniff, frame-ancestors 'none' everywhere; a CSP strict enough for the dashboard and /docs. */
export function securityHeaders(): MiddlewareHandler<HonoEnv> {
  return secureHeaders({
    strictTransportSecurity: "max-age=63072000; includeSubDomains",
    xFrameOptions: "DENY",
    xContentTypeOptions: "nosniff",
    referrerPolicy: "strict-origin-when-cross-origin",
    crossOriginResourcePolicy: "same-origin",
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // Swagger UI (/docs) and React set inline style attributes.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:", "blob:"],
      connectSrc: ["'self'", "ws:", "wss:"],
      fontSrc: ["'self'", "data:"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      objectSrc: ["'none'"],
    },
  }) as MiddlewareHandler<HonoEnv>;
}

/** CORS for an explicit allowlist (CORS_ORIGINS); any other origin gets no CORS headers at all. */
export function strictCors(): MiddlewareHandler<HonoEnv> {
  return async function strictCors(c, next) {
    const allowed = c.get("services").config.corsOrigins;
    const handler = cors({
      origin: (origin) => (allowed.includes(origin) ? origin : null),
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      allowHeaders: ["Authorization", "Content-Type", "X-Org-Id", "X-Request-Id", "Idempotency-Key"],
      exposeHeaders: [
        "X-Request-Id",
        "RateLimit",
        "RateLimit-Policy",
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
      ],
      maxAge: 600,
      credentials: false,
    });
    return handler(c, next);
  };
}
