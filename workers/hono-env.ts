import type { SignInMethod } from "../shared/auth/sign-ins.ts";
import type { Permission } from "../shared/tenancy/permissions.ts";
import type { Plan } from "../shared/tenancy/plans.ts";
import type { Env } from "./env.ts";
import type { Services } from "./services.ts";

export type { Services } from "./services.ts";

/** Who is calling, resolved by the auth middleware; the tenant middleware pins `orgId`. */
export type Principal = {
  kind: "api_key" | "user";
  /** Key id or user id: what the audit log records as the actor. */
  actorId: string;
  userId: string | null;
  keyId: string | null;
  /** Null only for a signed-in user who belongs to no organisation yet. */
  orgId: string | null;
  plan: Plan;
  role: string | null;
  /** For an API key, the user it acts for (its permissions never exceed theirs); else null. */
  ownerId: string | null;
  permissions: ReadonlySet<Permission>;
  isPlatformAdmin: boolean;
  /** The dashboard sign-in (shared/auth/sign-ins.ts) a user's token names; absent for API keys. */
  signInId?: string;
  /** How that sign-in was made (password, password+totp, sso); absent for API keys. */
  signInMethod?: SignInMethod;
  /** For an API key, the org's auth epoch its cached lookup was read at (shared/tenancy/api-key-cache.ts). */
  authEpoch?: number;
};

export type HonoEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    services: Services;
    principal: Principal;
    /** Org id once known, for the request log line. */
    logOrgId: string | undefined;
  };
};
