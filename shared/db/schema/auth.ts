import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, orgRow, requestClient, timestamps } from "./columns.ts";

/** One row per issued dashboard sign-in token (the JWT's `sid`); migrations/0009_sign_ins.sql and 0012_sso_mfa.sql. */
export const signIns = sqliteTable(
  "sign_ins",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    ...requestClient(),
    ...createdAt(),
    lastSeenAt: integer("last_seen_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
    /** How the user proved who they are; org policies accept only some (docs/sso-mfa.md). */
    method: text("method", { enum: ["password", "password+totp", "sso"] })
      .notNull()
      .default("password"),
    /** For `sso`: the organisation whose provider signed the user in. */
    ssoOrgId: text("sso_org_id"),
  },
  (t) => [index("sign_ins_user").on(t.userId, t.id)],
);

/** One OpenID provider per organisation (migrations/0012_sso_mfa.sql); the client secret is sealed. */
export const ssoConnections = sqliteTable("sso_connections", {
  orgId: text("org_id").primaryKey(),
  issuer: text("issuer").notNull(),
  clientId: text("client_id").notNull(),
  clientSecretSealed: text("client_secret_sealed").notNull(),
  allowedDomains: text("allowed_domains", { mode: "json" }).$type<string[]>().notNull(),
  defaultRole: text("default_role", { enum: ["admin", "member", "viewer", "custom"] }).notNull(),
  customRoleId: text("custom_role_id"),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  configuredBy: text("configured_by").notNull(),
  ...timestamps(),
});

/** An authorization-code flow in progress, keyed by the SHA-256 of its `state`; consumed once. */
export const ssoFlows = sqliteTable(
  "sso_flows",
  {
    ...orgRow(),
    nonce: text("nonce").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    expiresAt: integer("expires_at").notNull(),
    ...createdAt(),
  },
  (t) => [index("sso_flows_expiry").on(t.expiresAt)],
);

/** The provider's `sub` linked to a user, per organisation and issuer. */
export const ssoIdentities = sqliteTable(
  "sso_identities",
  {
    orgId: text("org_id").notNull(),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: text("user_id").notNull(),
    ...createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.issuer, t.subject] }), index("sso_identities_user").on(t.userId)],
);

/** A user's TOTP secret (sealed); `lastStep` is the newest accepted time step (no code twice). */
export const mfaTotp = sqliteTable("mfa_totp", {
  userId: text("user_id").primaryKey(),
  secretSealed: text("secret_sealed").notNull(),
  confirmedAt: integer("confirmed_at"),
  lastStep: integer("last_step").notNull().default(0),
  ...createdAt(),
});

/** One-time recovery codes, stored as hashes. */
export const mfaRecoveryCodes = sqliteTable(
  "mfa_recovery_codes",
  {
    userId: text("user_id").notNull(),
    codeHash: text("code_hash").notNull(),
    usedAt: integer("used_at"),
    ...createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/** A sign-up waiting for its email link (migrations/0017_trust.sql); the account exists only after it. */
export const signupRequests = sqliteTable(
  "signup_requests",
  {
    tokenHash: text("token_hash").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    orgName: text("org_name"),
    passwordHash: text("password_hash").notNull(),
    expiresAt: integer("expires_at").notNull(),
    ...createdAt(),
  },
  (t) => [index("signup_requests_expiry").on(t.expiresAt)],
);

/** A single-use, expiring password-reset link (migrations/0017_trust.sql). */
export const passwordResets = sqliteTable(
  "password_resets",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    ...createdAt(),
  },
  (t) => [index("password_resets_user").on(t.userId)],
);
