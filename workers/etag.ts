import type { Context } from "hono";
import { sha256Hex } from "../shared/crypto/hash.ts";

/**
 * A JSON answer with a strong ETag (RFC 9110 §8.8.3), answered with 304 and no body when the request's
 * If-None-Match names it. Lists the dashboard polls for live updates use it (docs/live-updates.md): an
 * unchanged list costs the poller a few bytes instead of the page. `private, no-cache` keeps shared
 * caches out and makes browsers revalidate every time.
 */
export async function jsonWithEtag(c: Context, data: unknown): Promise<Response> {
  const body = JSON.stringify(data);
  const tag = `"${(await sha256Hex(body)).slice(0, 32)}"`;
  const headers = {
    ETag: tag,
    "Cache-Control": "private, no-cache",
    Vary: "Authorization, Cookie, X-Org-Id",
  };
  if (matches(c.req.header("If-None-Match"), tag)) return c.body(null, 304, headers);
  return c.body(body, 200, { ...headers, "Content-Type": "application/json" });
}

/** If-None-Match is `*` or a comma-separated list of (possibly weak) entity tags; weak comparison applies. */
function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === tag);
}

/** The OpenAPI entry for the 304 a route with `jsonWithEtag` may answer. */
export const notModifiedResponse = {
  304: { description: "Not modified: If-None-Match named the current ETag (no body)" },
} as const;
