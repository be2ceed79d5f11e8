import { z } from "zod";
import { pageQuerySchema } from "../pagination.ts";
import { PERMISSIONS } from "../tenancy/permissions.ts";
import { PLANS } from "../tenancy/plans.ts";
import {
  emailAddress,
  givenPassword,
  newPassword,
  pageOf,
  requestClient,
  rotationGraceSeconds,
  timestamps,
} from "./common.ts";

/**
 * Requests and responses of the tenancy and auth operations (accounts, organisations, members,
 * roles, invites, projects, API keys, audit log). Component ids are the OpenAPI schema names.
 */

// ---- Accounts and sign-in -------------------------------------------------------------------

export const signUpSchema = z.strictObject({
  email: emailAddress,
  password: newPassword,
  name: z.string().trim().min(1).max(100),
  orgName: z.string().trim().min(1).max(100).optional(),
});
export type SignUp = z.infer<typeof signUpSchema>;

export const signInSchema = z.strictObject({ email: emailAddress, password: givenPassword });
export type SignIn = z.infer<typeof signInSchema>;

export const userSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), isPlatformAdmin: z.boolean() })
  .meta({ id: "User" });
export type User = z.infer<typeof userSchema>;

/** One organisation the caller belongs to, with the caller's role in it. */
export const membershipSchema = z.object({
  orgId: z.string(),
  name: z.string(),
  role: z.string(),
  plan: z.string(),
});
export type Membership = z.infer<typeof membershipSchema>;

/** What sign-up and sign-in answer: the dashboard's bearer token, its user and organisations. */
export const authSessionSchema = z
  .object({
    token: z.string(),
    expiresAt: z.number().int(),
    user: userSchema,
    orgs: z.array(membershipSchema),
  })
  .meta({ id: "AuthSession" });
export type AuthSession = z.infer<typeof authSessionSchema>;

export const meSchema = z.object({
  kind: z.enum(["user", "api_key"]),
  user: userSchema.nullable(),
  keyId: z.string().nullable(),
  orgId: z.string().nullable(),
  role: z.string().nullable(),
  plan: z.string(),
  permissions: z.array(z.string()),
  orgs: z.array(membershipSchema),
});
export type Me = z.infer<typeof meSchema>;

// ---- Organisations and usage ----------------------------------------------------------------

export const organizationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    plan: z.enum(PLANS),
    ...timestamps,
  })
  .meta({ id: "Organization" });
export type Organization = z.infer<typeof organizationSchema>;

export const membershipListSchema = z.object({ items: z.array(membershipSchema) });
export const orgNameSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const planChangeSchema = z.strictObject({ plan: z.enum(PLANS) });

export const usageSchema = z.object({
  plan: z.enum(PLANS),
  policies: z.array(
    z.object({
      policy: z.string(),
      quota: z.number(),
      windowSeconds: z.number(),
      burst: z.number(),
      remaining: z.number(),
      resetSeconds: z.number(),
    }),
  ),
});
export type Usage = z.infer<typeof usageSchema>;

// ---- Members, roles and invites -------------------------------------------------------------

/** The role a membership or an invite grants; `custom` names one of the org's custom roles. */
export const memberRoleSchema = z.enum(["owner", "admin", "member", "viewer", "custom"]);
export type MemberRole = z.infer<typeof memberRoleSchema>;

export const memberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: memberRoleSchema,
    customRoleId: z.string().nullable(),
    joinedAt: z.number().int(),
  })
  .meta({ id: "Member" });
export type Member = z.infer<typeof memberSchema>;

export const memberQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .regex(/^usr_[0-9a-z]{26}$/)
    .optional(),
});
export const memberPageSchema = pageOf(memberSchema);

export const roleChangeSchema = z.strictObject({
  role: memberRoleSchema,
  customRoleId: z
    .string()
    .regex(/^rol_[0-9a-z]{26}$/, "a custom role id (rol_…)")
    .nullable()
    .optional(),
});
export type RoleChange = z.infer<typeof roleChangeSchema>;
export const memberRoleResultSchema = memberSchema.omit({ email: true, name: true });
export type MemberRoleResult = z.infer<typeof memberRoleResultSchema>;

/** A built-in role (its id is its name) or one of the org's custom roles. */
export const roleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    builtIn: z.boolean(),
    permissions: z.array(z.string()),
  })
  .meta({ id: "Role" });
export type Role = z.infer<typeof roleSchema>;
export const roleListSchema = z.object({ items: z.array(roleSchema) });

const permissionList = z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length);

export const newCustomRoleSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\p{L}\p{N} _.-]+$/u),
  description: z.string().max(500).optional(),
  permissions: permissionList,
});
export type NewCustomRole = z.infer<typeof newCustomRoleSchema>;

export const customRolePatchSchema = z.strictObject({
  description: z.string().max(500).nullable().optional(),
  permissions: permissionList.optional(),
});
export type CustomRolePatch = z.infer<typeof customRolePatchSchema>;

export const inviteSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: memberRoleSchema,
    customRoleId: z.string().nullable(),
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    expiresAt: z.number().int(),
    createdAt: z.number().int(),
  })
  .meta({ id: "Invite" });
export type Invite = z.infer<typeof inviteSchema>;

export const newInviteSchema = z.strictObject({
  email: emailAddress,
  role: memberRoleSchema,
  customRoleId: z
    .string()
    .regex(/^rol_[0-9a-z]{26}$/, "a custom role id (rol_…)")
    .optional(),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
});
export type NewInvite = z.infer<typeof newInviteSchema>;

export const createdInviteSchema = z.object({ invite: inviteSchema, token: z.string() });
export type CreatedInvite = z.infer<typeof createdInviteSchema>;
export const acceptInviteSchema = z.strictObject({ token: z.string().min(10).max(100) });
export const inviteAcceptedSchema = z.object({ orgId: z.string(), role: z.string() });
export type InviteAccepted = z.infer<typeof inviteAcceptedSchema>;

// ---- Projects -------------------------------------------------------------------------------

export const projectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    ...timestamps,
  })
  .meta({ id: "Project" });
export type Project = z.infer<typeof projectSchema>;

export const newProjectSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,47}$/)
    .optional(),
  description: z.string().max(2000).optional(),
});
export type NewProject = z.infer<typeof newProjectSchema>;

export const projectPatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2000).nullable().optional(),
});
export type ProjectPatch = z.infer<typeof projectPatchSchema>;

// ---- API keys -------------------------------------------------------------------------------

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    permissions: z.array(z.string()),
    status: z.enum(["active", "expired", "revoked"]),
    expiresAt: z.number().int().nullable(),
    lastUsedAt: z.number().int().nullable(),
    replacedBy: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .meta({ id: "ApiKey" });
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createdKeySchema = z.object({
  apiKey: apiKeySchema,
  key: z.string().describe("Shown once; store it now"),
});
export type CreatedKey = z.infer<typeof createdKeySchema>;

export const newApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  permissions: z.array(z.enum(PERMISSIONS)).min(1).optional(),
  expiresAt: z.number().int().positive().optional(),
});
export type NewApiKey = z.infer<typeof newApiKeySchema>;

export const rotateKeySchema = z.strictObject({
  gracePeriodSeconds: rotationGraceSeconds(30 * 86_400),
});

// ---- Audit log ------------------------------------------------------------------------------

export const auditEntrySchema = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    actorType: z.string(),
    actorId: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    ...requestClient,
    requestId: z.string().nullable(),
    changes: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.number().int(),
    hash: z.string(),
  })
  .meta({ id: "AuditEntry" });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditQuerySchema = pageQuerySchema.extend({
  actor: z.string().max(64).optional(),
  action: z.string().max(100).optional().describe("Exact action, or a prefix ending in * (e.g. api_key.*)"),
  targetType: z.string().max(64).optional(),
  target: z.string().max(64).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  format: z.enum(["json", "csv"]).default("json"),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditVerdictSchema = z.object({
  valid: z.boolean(),
  checked: z.number().int(),
  firstBrokenSeq: z.number().int().nullable(),
  reason: z.string().optional(),
});
export type AuditVerdict = z.infer<typeof auditVerdictSchema>;
