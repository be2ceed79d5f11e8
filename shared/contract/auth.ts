import { z } from "zod";
import { emailAddress, givenPassword, newPassword, requestClient } from "./common.ts";
import { authSessionSchema } from "./tenancy.ts";

/** One active dashboard sign-in of the caller (a device or browser holding a token). */
export const signInRecordSchema = z
  .object({
    id: z.string(),
    ...requestClient,
    createdAt: z.number().int(),
    lastSeenAt: z.number().int(),
    expiresAt: z.number().int(),
    /** How the user proved who they are. */
    method: z.enum(["password", "password+totp", "sso"]),
    /** The sign-in this request is made with. */
    current: z.boolean(),
  })
  .meta({ id: "SignInRecord" });
export type SignInRecord = z.infer<typeof signInRecordSchema>;

export const signInListSchema = z.object({ items: z.array(signInRecordSchema) }).meta({ id: "SignInList" });

export const passwordChangeSchema = z
  .strictObject({
    currentPassword: givenPassword,
    newPassword,
  })
  .meta({ id: "PasswordChange" });
export type PasswordChange = z.infer<typeof passwordChangeSchema>;

// ---- Second factor (TOTP, RFC 6238) — docs/sso-mfa.md ----

const totpCode = z.string().regex(/^\d{6}$/, { error: "must be 6 digits" });
const recoveryCode = z
  .string()
  .trim()
  .regex(/^[0-9a-zA-Z]{5}-?[0-9a-zA-Z]{5}$/, { error: "must look like xxxxx-xxxxx" });

/** Answer of a correct password when the account has a second factor: no session yet. */
export const mfaChallengeSchema = z
  .object({
    mfaRequired: z.literal(true),
    /** Short-lived proof that the password was right; send it back with the code. */
    challenge: z.string(),
    expiresAt: z.number().int(),
  })
  .meta({ id: "MfaChallenge" });
export type MfaChallenge = z.infer<typeof mfaChallengeSchema>;

export const mfaVerifySchema = z
  .union([
    z.strictObject({ challenge: z.string().min(1).max(2000), code: totpCode }),
    z.strictObject({ challenge: z.string().min(1).max(2000), recoveryCode }),
  ])
  .meta({ id: "MfaVerify" });
export type MfaVerify = z.infer<typeof mfaVerifySchema>;

export const totpEnrolmentSchema = z
  .object({
    /** Base32 secret, for typing into an authenticator by hand. */
    secret: z.string(),
    /** `otpauth://totp/…`, for a QR code. */
    otpauthUri: z.string(),
  })
  .meta({ id: "TotpEnrolment" });

export const totpCodeSchema = z.strictObject({ code: totpCode }).meta({ id: "TotpCode" });

export const mfaEnabledSchema = z
  .object({
    /** Ten one-time codes, shown once: each replaces the authenticator for one sign-in. */
    recoveryCodes: z.array(z.string()),
    /** Every other sign-in ended; this one replaces the caller's. */
    session: authSessionSchema,
  })
  .meta({ id: "MfaEnabled" });

export const mfaDisableSchema = z
  .union([z.strictObject({ code: totpCode }), z.strictObject({ password: givenPassword })])
  .meta({ id: "MfaDisable" });
export type MfaDisable = z.infer<typeof mfaDisableSchema>;

export const mfaStatusSchema = z
  .object({
    enabled: z.boolean(),
    /** An enrolment was started and waits for its first code. */
    pending: z.boolean(),
    recoveryCodesLeft: z.number().int(),
    /** Organisations of the caller that require a second factor. */
    requiredBy: z.array(z.string()),
    /** The caller's current sign-in passed a second factor. */
    currentSignInVerified: z.boolean(),
  })
  .meta({ id: "MfaStatus" });
export type MfaStatus = z.infer<typeof mfaStatusSchema>;

// ---- Organisation sign-in policy ----

const authPolicy = { requireMfa: z.boolean(), requireSso: z.boolean() };

export const authPolicySchema = z.object(authPolicy).meta({ id: "AuthPolicy" });
export type AuthPolicy = z.infer<typeof authPolicySchema>;

/** Changes only the policies it names. */
export const authPolicyPatchSchema = z.strictObject(authPolicy).partial().meta({ id: "AuthPolicyPatch" });

// ---- OpenID Connect single sign-on ----

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "must be a domain name",
  });

export const ssoConnectionInputSchema = z
  .strictObject({
    /** The provider's issuer URL; `<issuer>/.well-known/openid-configuration` must answer. */
    issuer: z.url({ protocol: /^https?$/ }).max(500),
    clientId: z.string().min(1).max(500),
    clientSecret: z.string().min(1).max(2000),
    /** Only these email domains may sign in (and be provisioned). */
    allowedDomains: z.array(domain).min(1).max(50),
    /** The role a first-time user gets; never more than the configuring admin holds. */
    defaultRole: z.enum(["admin", "member", "viewer", "custom"]).default("member"),
    customRoleId: z
      .string()
      .regex(/^rol_[0-9a-z]{26}$/)
      .optional(),
    enabled: z.boolean().default(true),
  })
  .meta({ id: "SsoConnectionInput" });
export type SsoConnectionInput = z.infer<typeof ssoConnectionInputSchema>;

export const ssoConnectionSchema = z
  .object({
    issuer: z.string(),
    clientId: z.string(),
    /** Masked: only the last four characters. */
    clientSecret: z.string(),
    allowedDomains: z.array(z.string()),
    defaultRole: z.enum(["admin", "member", "viewer", "custom"]),
    customRoleId: z.string().nullable(),
    enabled: z.boolean(),
    /** Register this redirect URI with the provider. */
    redirectUri: z.string(),
    /** Where users start: `GET /v1/auth/sso/start?org=<slug>`. */
    signInUrl: z.string(),
    updatedAt: z.number().int(),
  })
  .meta({ id: "SsoConnection" });
export type SsoConnection = z.infer<typeof ssoConnectionSchema>;

export const ssoStartQuerySchema = z.object({
  /** The organisation's slug or id. */
  org: z.string().min(1).max(100),
});

export const ssoCallbackQuerySchema = z.object({
  code: z.string().min(1).max(4000).optional(),
  state: z.string().min(1).max(200),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

// ---- Neutral sign-up and password reset by email — docs/sso-mfa.md ----

/** Links carry `sup_…` (sign-up) or `pwr_…` (password reset) + 40 base62 characters. */
const emailedToken = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9A-Za-z]{40}$`), { error: "must be a link token" });

/**
 * The answer to a sign-up or a reset request when mail decides what happens next: the same for an
 * address with an account and one without, so the answer reveals nothing about either.
 */
export const checkEmailSchema = z
  .object({
    status: z.literal("check_email"),
    /** When the emailed link stops working (ms). */
    linkExpiresAt: z.number().int(),
  })
  .meta({ id: "CheckEmail" });
export type CheckEmail = z.infer<typeof checkEmailSchema>;

export const signUpVerifySchema = z.strictObject({ token: emailedToken("sup") }).meta({ id: "SignUpVerify" });
export type SignUpVerify = z.infer<typeof signUpVerifySchema>;

export const passwordResetRequestSchema = z
  .strictObject({ email: emailAddress })
  .meta({ id: "PasswordResetRequest" });
export type PasswordResetRequest = z.infer<typeof passwordResetRequestSchema>;

export const passwordResetConfirmSchema = z
  .strictObject({ token: emailedToken("pwr"), password: newPassword })
  .meta({ id: "PasswordResetConfirm" });
export type PasswordResetConfirm = z.infer<typeof passwordResetConfirmSchema>;

// ---- Data lifecycle — docs/data-lifecycle.md ----

/** Proof before an irreversible action: the password, and a current code when a second factor is on. */
/**
 * Re-authentication before an irreversible action (docs/data-lifecycle.md): the password (and a code
 * with a second factor on); an SSO-only account sends a code, or `freshSignIn` within 10 minutes of
 * signing in again through its identity provider.
 */
export const identityCheckSchema = z
  .strictObject({
    password: givenPassword.optional(),
    code: z
      .string()
      .regex(/^\d{6}$/, { error: "must be 6 digits" })
      .optional(),
    freshSignIn: z.literal(true).optional(),
  })
  .refine((v) => v.password !== undefined || v.code !== undefined || v.freshSignIn === true, {
    error: "send the password, a current code, or freshSignIn after signing in again through SSO",
  })
  .meta({ id: "IdentityCheck" });
export type IdentityCheck = z.infer<typeof identityCheckSchema>;

export const orgRestoreSchema = z
  .strictObject({ orgId: z.string().regex(/^org_[0-9a-z]{26}$/, { error: "must be an organisation id" }) })
  .meta({ id: "OrgRestore" });

/** An organisation deleted by the caller's organisation, restorable until `purgeAt`. */
export const deletedOrgSchema = z
  .object({ orgId: z.string(), name: z.string(), deletedAt: z.number().int(), purgeAt: z.number().int() })
  .meta({ id: "DeletedOrg" });
export type DeletedOrg = z.infer<typeof deletedOrgSchema>;
export const deletedOrgListSchema = z
  .object({ items: z.array(deletedOrgSchema) })
  .meta({ id: "DeletedOrgList" });
