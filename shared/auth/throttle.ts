import { sha256Hex } from "../crypto/hash.ts";
import { ApiError } from "../errors.ts";

/**
 * Brute-force brakes for sign-in and sign-up: token buckets per client IP and per account (the email,
 * hashed, whether or not an account exists, so the brakes reveal nothing). The buckets live in the
 * RateLimiter Durable Object (durable-objects/rate-limiter.ts); this file only knows the small
 * interface below, which the HTTP layer implements over it.
 */
export type Bucket = { capacity: number; refillPerSecond: number };
export type Take = { allowed: boolean; retryAfterSeconds: number };

export interface TokenBuckets {
  /** Spends one token of `policy` in the object named `key`. */
  take(key: string, policy: string, bucket: Bucket): Promise<Take>;
  /** Gives one token back (never above capacity). */
  giveBack(key: string, policy: string, bucket: Bucket): Promise<void>;
}

/**
 * Two tiers per account make the lockout back off: 5 quick attempts, then one a minute; once 20 have
 * failed, one every 15 minutes. A successful sign-in gives its tokens back, so only failures count.
 * The IP tier stops one client spraying many accounts.
 */
export const SIGN_IN_LIMITS = {
  ip: { capacity: 30, refillPerSecond: 30 / 300 },
  accountShort: { capacity: 5, refillPerSecond: 1 / 60 },
  accountLong: { capacity: 20, refillPerSecond: 1 / 900 },
} as const satisfies Record<string, Bucket>;

/** Sign-ups per client IP: 5, then 5 an hour (an account-existence probe costs a sign-up). */
export const SIGN_UP_LIMIT: Bucket = { capacity: 5, refillPerSecond: 5 / 3600 };

function tooMany(what: string, retryAfterSeconds: number): ApiError {
  return new ApiError("rate_limited", `Too many ${what}; try again in ${retryAfterSeconds} s`, {
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

/** The account's bucket name: the first 128 bits of the normalised email's SHA-256, in hex. */
async function emailKey(email: string): Promise<string> {
  return (await sha256Hex(email.trim().toLowerCase())).slice(0, 32);
}

/**
 * Charges a sign-in attempt before the password is checked (a locked account costs no PBKDF2 work)
 * and answers 429 + Retry-After when a bucket is empty. Call `succeeded` after a good password to
 * refund the account tiers. `ip` is null when the platform gives none (Cloudflare always sets
 * CF-Connecting-IP in production; local and test requests have none): then only the account tiers apply.
 */
/**
 * Per-IP limits skip loopback clients: behind Cloudflare the connecting IP is never loopback, so a
 * loopback address means a local run (`npm start`, the browser tests), which must not throttle
 * itself. The per-account limits still apply to it.
 */
function publicIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  return ip === "::1" || ip.startsWith("127.") || ip.startsWith("::ffff:127.") ? null : ip;
}

export async function chargeSignIn(
  buckets: TokenBuckets,
  clientIp: string | null | undefined,
  email: string,
) {
  const ip = publicIp(clientIp);
  if (ip) {
    const byIp = await buckets.take(`signin:ip:${ip}`, "signin", SIGN_IN_LIMITS.ip);
    if (!byIp.allowed) throw tooMany("sign-in attempts from this address", byIp.retryAfterSeconds);
  }
  const account = `signin:acct:${await emailKey(email)}`;
  const short = await buckets.take(account, "short", SIGN_IN_LIMITS.accountShort);
  if (!short.allowed) throw tooMany("failed sign-ins for this account", short.retryAfterSeconds);
  const long = await buckets.take(account, "long", SIGN_IN_LIMITS.accountLong);
  if (!long.allowed) throw tooMany("failed sign-ins for this account", long.retryAfterSeconds);
  return {
    async succeeded() {
      await Promise.all([
        buckets.giveBack(account, "short", SIGN_IN_LIMITS.accountShort),
        buckets.giveBack(account, "long", SIGN_IN_LIMITS.accountLong),
      ]);
    },
  };
}

/**
 * Charges a sign-up to the client IP and to the address (see `chargeSignIn` for a missing IP). The
 * address tier stops one inbox being flooded with sign-up mails from many IPs.
 */
export async function chargeSignUp(
  buckets: TokenBuckets,
  clientIp: string | null | undefined,
  email: string,
) {
  const ip = publicIp(clientIp);
  if (ip) {
    const result = await buckets.take(`signup:ip:${ip}`, "signup", SIGN_UP_LIMIT);
    if (!result.allowed) throw tooMany("sign-ups from this address", result.retryAfterSeconds);
  }
  const byEmail = await buckets.take(
    `signup:acct:${await emailKey(email)}`,
    "signup",
    EMAILED_LINK_LIMITS.email,
  );
  if (!byEmail.allowed) throw tooMany("sign-ups for this email", byEmail.retryAfterSeconds);
}

/**
 * Requests that send mail (a reset link) or spend a mailed token: per IP, and for requests per
 * address, 3 an hour — the same whether or not an account exists, so the brake reveals nothing.
 */
export const EMAILED_LINK_LIMITS = {
  ip: { capacity: 10, refillPerSecond: 10 / 3600 },
  email: { capacity: 3, refillPerSecond: 3 / 3600 },
  confirmIp: { capacity: 20, refillPerSecond: 20 / 3600 },
} as const satisfies Record<string, Bucket>;

/** Charges a password-reset request to the client IP and to the address. */
export async function chargePasswordReset(
  buckets: TokenBuckets,
  clientIp: string | null | undefined,
  email: string,
) {
  const ip = publicIp(clientIp);
  if (ip) {
    const byIp = await buckets.take(`reset:ip:${ip}`, "reset", EMAILED_LINK_LIMITS.ip);
    if (!byIp.allowed) throw tooMany("password-reset requests from this address", byIp.retryAfterSeconds);
  }
  const byEmail = await buckets.take(
    `reset:acct:${await emailKey(email)}`,
    "reset",
    EMAILED_LINK_LIMITS.email,
  );
  if (!byEmail.allowed) throw tooMany("password-reset requests for this email", byEmail.retryAfterSeconds);
}

/** Charges the use of an emailed token (a sign-up or reset link) to the client IP. */
export async function chargeEmailedToken(buckets: TokenBuckets, clientIp: string | null | undefined) {
  const ip = publicIp(clientIp);
  if (!ip) return;
  const byIp = await buckets.take(`link:ip:${ip}`, "link", EMAILED_LINK_LIMITS.confirmIp);
  if (!byIp.allowed) throw tooMany("link confirmations from this address", byIp.retryAfterSeconds);
}
