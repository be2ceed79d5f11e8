/**
 * The closed set of permissions. Built-in roles are fixed sets; custom roles are named subsets.
 * API keys carry their own subset (never more than their creator holds).
 */
export const PERMISSIONS = [
  "org:read",
  "org:manage",
  "members:read",
  "members:manage",
  "roles:manage",
  "projects:read",
  "projects:write",
  /** Deleting a project takes its runs, sessions and heals with it: an admin's act, not a member's. */
  "projects:delete",
  "keys:manage",
  "audit:read",
  "usage:read",
  "heal:read",
  "heal:write",
  "models:manage",
  "runs:read",
  "runs:write",
  "sessions:read",
  "sessions:write",
  "webhooks:read",
  "webhooks:manage",
  "integrations:manage",
  "leads:read",
  "leads:manage",
] as const;

export type Permission = (typeof PERMISSIONS)[number];
export type BuiltInRole = "owner" | "admin" | "member" | "viewer";

const READ: Permission[] = PERMISSIONS.filter(
  (p) => p.endsWith(":read") && p !== "audit:read" && p !== "usage:read",
);

export const ROLE_PERMISSIONS: Record<BuiltInRole, readonly Permission[]> = {
  owner: PERMISSIONS,
  // Admins run the org day to day; only owners manage owners (see members routes).
  admin: PERMISSIONS,
  member: [...READ, "projects:write", "heal:write", "runs:write", "sessions:write"],
  viewer: READ,
};

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
