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

/** Spends one token of `policy` in `key`; an empty bucket is a 429 with Retry-After naming `what`. */
async function spend(buckets: TokenBuckets, key: string, policy: string, bucket: Bucket, what: string) {
  const result = await buckets.take(key, policy, bucket);
  if (!result.allowed) throw tooMany(what, result.retryAfterSeconds);
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

/** Charges `policy` to the client's public IP; nothing for a loopback or missing one (see `publicIp`). */
async function chargeIp(
  buckets: TokenBuckets,
  clientIp: string | null | undefined,
  policy: string,
  bucket: Bucket,
  what: string,
) {
  const ip = publicIp(clientIp);
  if (ip) await spend(buckets, `${policy}:ip:${ip}`, policy, bucket, `${what} from this address`);
}

export async function chargeSignIn(
  buckets: TokenBuckets,
  clientIp: string | null | undefined,
  email: string,
) {
  await chargeIp(buckets, clientIp, "signin", SIGN_IN_LIMITS.ip, "sign-in attempts");
  const account = `signin:acct:${await emailKey(email)}`;
  await spend(buckets, account, "short", SIGN_IN_LIMITS.accountShort, "failed sign-ins for this account");
  await spend(buckets, account, "long", SIGN_IN_LIMITS.accountLong, "failed sign-ins for this account");
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
export function chargeSignUp(buckets: TokenBuckets, clientIp: string | null | undefined, email: string) {
  return chargeIpAndEmail(buckets, clientIp, email, "signup", SIGN_UP_LIMIT, "sign-ups");
}

/**
 * A request charged to the client IP (`ipBucket`; none for a loopback or missing IP) and then to the
 * address (3 an hour), both under `policy`; the 429 names `what`.
 */
async function chargeIpAndEmail(
  buckets: TokenBuckets,
  clientIp: string | null | undefined,
  email: string,
  policy: string,
  ipBucket: Bucket,
  what: string,
) {
  await chargeIp(buckets, clientIp, policy, ipBucket, what);
  const account = `${policy}:acct:${await emailKey(email)}`;
  await spend(buckets, account, policy, EMAILED_LINK_LIMITS.email, `${what} for this email`);
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
export function chargePasswordReset(
  buckets: TokenBuckets,
  clientIp: string | null | undefined,
  email: string,
) {
  return chargeIpAndEmail(
    buckets,
    clientIp,
    email,
    "reset",
    EMAILED_LINK_LIMITS.ip,
    "password-reset requests",
  );
}

/** Charges the use of an emailed token (a sign-up or reset link) to the client IP. */
export function chargeEmailedToken(buckets: TokenBuckets, clientIp: string | null | undefined) {
  return chargeIp(buckets, clientIp, "link", EMAILED_LINK_LIMITS.confirmIp, "link confirmations");
}
