import { hmacSha256, timingSafeEqual, toHex } from "../crypto/hash.ts";

/**
 * Signed download URLs for failure artifacts (docs/artifacts.md). The trace viewer's service worker and
 * an <img> cannot send the bearer token, so the API hands out URLs that carry their own credential: an
 * HMAC-SHA256, under a key derived from JWT_SECRET, over the organisation, the artifact and the expiry.
 * A URL works for that one artifact of that one organisation until it expires, and cannot be widened.
 */
export const ARTIFACT_URL_TTL_SECONDS = 10 * 60;

/** Domain separation: a MAC made for anything else under the same secret never verifies here. */
const PURPOSE = "shifty/artifact-url/v1";

async function mac(secret: string, orgId: string, artifactId: string, expires: number) {
  const key = await hmacSha256(secret, PURPOSE);
  return toHex(await hmacSha256(key, `${orgId}\n${artifactId}\n${expires}`));
}

export type SignedArtifactUrl = { url: string; expiresAt: number };

/** `{publicUrl}/v1/artifacts/{id}/signed?org=&expires=&sig=`, valid for ARTIFACT_URL_TTL_SECONDS. */
export async function signArtifactUrl(
  settings: { secret: string; publicUrl: string },
  orgId: string,
  artifactId: string,
  now = Date.now(),
): Promise<SignedArtifactUrl> {
  const expires = Math.floor(now / 1000) + ARTIFACT_URL_TTL_SECONDS;
  const sig = await mac(settings.secret, orgId, artifactId, expires);
  const query = new URLSearchParams({ org: orgId, expires: String(expires), sig });
  const base = settings.publicUrl.replace(/\/+$/, "");
  return { url: `${base}/v1/artifacts/${artifactId}/signed?${query}`, expiresAt: expires * 1000 };
}

export type LinkCheck = "valid" | "forged" | "expired";

/** Checks the MAC first (a forged URL learns nothing, not even whether it expired), then the expiry. */
export async function checkArtifactUrl(
  secret: string,
  link: { orgId: string; artifactId: string; expires: number; sig: string },
  now = Date.now(),
): Promise<LinkCheck> {
  const expected = await mac(secret, link.orgId, link.artifactId, link.expires);
  if (!timingSafeEqual(expected, link.sig)) return "forged";
  return link.expires * 1000 <= now ? "expired" : "valid";
}
