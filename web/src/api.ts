// The dashboard's only door to the Shifty API: every call is typed here, authenticated by the sign-in
// cookie (HttpOnly, set by sign-in; see workers/middleware/session-cookie.ts) and the current organisation (X-Org-Id), and every failure is an ApiProblem
// carrying the RFC 9457 body the server sent.

import type {
  AuthPolicy,
  CheckEmail,
  IdentityCheck,
  MfaChallenge,
  MfaStatus,
} from "../../shared/contract/auth.ts";
import type { Page } from "../../shared/contract/common.ts";
import type {
  ApiKey,
  AuditEntry,
  AuditVerdict,
  AuthSession,
  CreatedInvite,
  CreatedKey,
  Invite,
  InviteAccepted,
  Me,
  Member,
  MemberRole,
  Membership,
  Organization,
  Project,
  Usage,
  User,
} from "../../shared/contract/tenancy.ts";

// The tenancy types are the server's contract (shared/contract/), imported as types only.
export type {
  ApiKey,
  AuditEntry,
  AuditVerdict,
  AuthPolicy,
  AuthSession,
  CreatedKey,
  Invite,
  Me,
  Member,
  Membership,
  MfaChallenge,
  MfaStatus,
  Organization,
  Page,
  Project,
  Usage,
  User,
};
/** The role a membership or invite grants (the contract's `Role` is a role definition). */
export type Role = MemberRole;

/** The cursor paging every list call takes: the last page's `nextCursor` and how many items at most. */
export type Paging = { cursor?: string; limit?: number };

/**
 * Every item of a cursor-paged list, page by page (at most `limit` per request): for lists a screen
 * needs whole (the organisation's projects it navigates by, a run's artifacts shown on their rows,
 * the endpoints that name deliveries), where a first page would leave the rest unreachable. Long
 * lists a person reads use "Load more" instead (usePaged).
 */
export async function allPages<T>(list: (query: Paging) => Promise<Page<T>>, limit = 100): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor === undefined ? { limit } : { cursor, limit });
    items.push(...page.items);
    // A cursor handed back unchanged would loop for ever: stop there.
    cursor = page.nextCursor === null || page.nextCursor === cursor ? undefined : page.nextCursor;
  } while (cursor !== undefined);
  return items;
}

export type AuditFilter = { actor?: string; action?: string; from?: number; to?: number };

/** Manual testing sessions and their live room (the API's own contract). */
import type {
  JiraIssueRef as JiraExport,
  NewSession,
  RoomToken as RoomTicket,
  Screenshot,
  RoomEventBody as StoredEvent,
  Session as TestSession,
} from "../../shared/contract/sessions.ts";

export type { JiraExport, NewSession, RoomTicket, Screenshot, StoredEvent, TestSession };

/** The problem+json body of a failed call (RFC 9457). */
export class ApiProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly requestId: string | undefined;
  readonly errors: { path: string; message: string }[];
  constructor(
    status: number,
    body: Partial<{
      title: string;
      detail: string;
      requestId: string;
      errors: { path: string; message: string }[];
    }>,
  ) {
    super(body.detail ?? body.title ?? `Request failed (${status})`);
    this.status = status;
    this.title = body.title ?? "Error";
    this.requestId = body.requestId;
    this.errors = body.errors ?? [];
  }
}

const TOKEN_KEY = "shifty.session";
const ORG_KEY = "shifty.org";

/**
 * Who is signed in (the AuthSession without its token) lives in localStorage, so every tab and a reload
 * know it; the credential itself is the HttpOnly cookie, out of reach of page scripts. The organisation
 * is chosen per tab (sessionStorage), as two tabs may look at two organisations.
 */
export const credentials = {
  load(): AuthSession | null {
    const raw = localStorage.getItem(TOKEN_KEY);
    if (!raw) return null;
    try {
      const session = JSON.parse(raw) as AuthSession;
      return session.expiresAt > Date.now() ? session : null;
    } catch {
      return null;
    }
  },
  save(session: AuthSession) {
    localStorage.setItem(TOKEN_KEY, JSON.stringify({ ...session, token: "" }));
  },
  clear() {
    localStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ORG_KEY);
  },
  orgId(): string | null {
    return sessionStorage.getItem(ORG_KEY);
  },
  setOrgId(orgId: string) {
    sessionStorage.setItem(ORG_KEY, orgId);
  },
};

/** Called when the server says the token is no longer good (401): the app returns to sign-in. */
let onUnauthenticated: () => void = () => {};
export function whenUnauthenticated(handler: () => void) {
  onUnauthenticated = handler;
}

export type Query = Record<string, string | number | undefined>;
type CallOptions = {
  query?: Query;
  json?: unknown;
  body?: BodyInit;
  contentType?: string;
  anonymous?: boolean;
  /** An ETag held from an earlier answer: the server may answer 304, which is returned, not thrown. */
  ifNoneMatch?: string;
};

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function send(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers({ Accept: "application/json, application/problem+json" });
  if (!options.anonymous) {
    const orgId = credentials.orgId();
    if (orgId) headers.set("X-Org-Id", orgId);
  }
  if (options.ifNoneMatch) headers.set("If-None-Match", options.ifNoneMatch);
  let body = options.body;
  if (options.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(options.json);
  } else if (options.contentType) {
    headers.set("Content-Type", options.contentType);
  }
  const res = await fetch(withQuery(path, options.query), { method, headers, body: body ?? null });
  if (!res.ok && res.status !== 304) {
    const problem = await res.json().catch(() => ({}));
    if (res.status === 401 && !options.anonymous) onUnauthenticated();
    throw new ApiProblem(res.status, problem as ConstructorParameters<typeof ApiProblem>[1]);
  }
  return res;
}

export async function json<T>(method: string, path: string, options?: CallOptions): Promise<T> {
  const res = await send(method, path, options);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export const enc = encodeURIComponent;

export const api = {
  /** With a mail provider the server answers `check_email` (202) and the link finishes it. */
  signUp: (body: { email: string; password: string; name: string; orgName?: string }) =>
    json<AuthSession | CheckEmail>("POST", "/v1/auth/signup", { json: body, anonymous: true }),
  verifySignUp: (token: string) =>
    json<AuthSession>("POST", "/v1/auth/signup/verify", { json: { token }, anonymous: true }),
  requestPasswordReset: (email: string) =>
    json<CheckEmail>("POST", "/v1/auth/password-reset", { json: { email }, anonymous: true }),
  confirmPasswordReset: (token: string, password: string) =>
    json<void>("POST", "/v1/auth/password-reset/confirm", { json: { token, password }, anonymous: true }),
  /** A correct password answers a session, or (202) a challenge when a second factor is on. */
  signIn: (body: { email: string; password: string }) =>
    json<AuthSession | MfaChallenge>("POST", "/v1/auth/signin", { json: body, anonymous: true }),
  verifyMfa: (body: { challenge: string; code: string } | { challenge: string; recoveryCode: string }) =>
    json<AuthSession>("POST", "/v1/auth/mfa/verify", { json: body, anonymous: true }),
  /** Who the sign-in cookie names, without treating a 401 as a sign-out (the sign-in page asks it). */
  cookieSignIn: () => json<Me>("GET", "/v1/me", { anonymous: true }),
  mfaStatus: () => json<MfaStatus>("GET", "/v1/auth/mfa"),
  startTotp: () => json<{ secret: string; otpauthUri: string }>("POST", "/v1/auth/mfa/totp"),
  confirmTotp: (code: string) =>
    json<{ recoveryCodes: string[]; session: AuthSession }>("POST", "/v1/auth/mfa/totp/confirm", {
      json: { code },
    }),
  disableTotp: (password: string) =>
    json<AuthSession>("POST", "/v1/auth/mfa/totp/disable", { json: { password } }),
  authPolicy: () => json<AuthPolicy>("GET", "/v1/auth-policy"),
  setAuthPolicy: (patch: Partial<AuthPolicy>) =>
    json<AuthPolicy>("PATCH", "/v1/auth-policy", { json: patch }),
  signOut: () => json<void>("POST", "/v1/auth/signout", { anonymous: true }),
  /** GDPR erasure of the signed-in account (docs/data-lifecycle.md); 409 names the organisations it alone owns. */
  deleteAccount: (check: IdentityCheck) => json<void>("DELETE", "/v1/me", { json: check }),

  listOrgs: () => json<{ items: Membership[] }>("GET", "/v1/orgs"),
  createOrg: (name: string) => json<Organization>("POST", "/v1/orgs", { json: { name } }),

  listProjects: (query?: Paging) => json<Page<Project>>("GET", "/v1/projects", { query }),
  createProject: (body: { name: string; description?: string }) =>
    json<Project>("POST", "/v1/projects", { json: body }),

  listApiKeys: (query?: Paging) => json<Page<ApiKey>>("GET", "/v1/api-keys", { query }),
  createApiKey: (body: { name: string; expiresAt?: number }) =>
    json<CreatedKey>("POST", "/v1/api-keys", { json: body }),
  revokeApiKey: (keyId: string) => json<void>("DELETE", `/v1/api-keys/${enc(keyId)}`),
  rotateApiKey: (keyId: string, gracePeriodSeconds = 86_400) =>
    json<CreatedKey>("POST", `/v1/api-keys/${enc(keyId)}/rotate`, { json: { gracePeriodSeconds } }),

  listMembers: (query?: Paging) => json<Page<Member>>("GET", "/v1/members", { query }),
  listInvites: (query?: Paging) => json<Page<Invite>>("GET", "/v1/invites", { query }),
  createInvite: (body: { email: string; role: MemberRole }) =>
    json<CreatedInvite>("POST", "/v1/invites", { json: body }),
  revokeInvite: (inviteId: string) => json<void>("DELETE", `/v1/invites/${enc(inviteId)}`),
  acceptInvite: (token: string) => json<InviteAccepted>("POST", "/v1/invites/accept", { json: { token } }),

  listAudit: (filter: AuditFilter & Paging) => json<Page<AuditEntry>>("GET", "/v1/audit", { query: filter }),
  /** The CSV export as a file the browser can save. */
  exportAuditCsv: async (filter: AuditFilter): Promise<Blob> =>
    (await send("GET", "/v1/audit", { query: { ...filter, format: "csv", limit: 1000 } })).blob(),
  verifyAudit: () => json<AuditVerdict>("GET", "/v1/audit/verify"),

  usage: () => json<Usage>("GET", "/v1/usage"),
  /** The caller's permissions in the current organisation (screens hide what the API would refuse). */
  me: () => json<Me>("GET", "/v1/me"),

  listSessions: (projectId: string, query?: { cursor?: string; status?: "active" | "ended" }) =>
    json<Page<TestSession>>("GET", `/v1/projects/${enc(projectId)}/sessions`, { query }),
  createSession: (projectId: string, body: NewSession) =>
    json<TestSession>("POST", `/v1/projects/${enc(projectId)}/sessions`, { json: body }),
  getSession: (sessionId: string) => json<TestSession>("GET", `/v1/sessions/${enc(sessionId)}`),
  roomTicket: (sessionId: string) =>
    json<RoomTicket>("POST", `/v1/sessions/${enc(sessionId)}/token`, { json: {} }),
  /** The stored timeline after `since` (used once a session has ended and its room is closed). */
  listEvents: (sessionId: string, since = 0) =>
    json<{ items: StoredEvent[]; nextSince: number }>("GET", `/v1/sessions/${enc(sessionId)}/events`, {
      query: { since, limit: 500 },
    }),
  endSession: (sessionId: string) => json<TestSession>("POST", `/v1/sessions/${enc(sessionId)}/end`),
  uploadScreenshot: (sessionId: string, file: Blob, caption?: string) =>
    json<Screenshot>("POST", `/v1/sessions/${enc(sessionId)}/screenshots`, {
      query: { caption },
      body: file,
      // The server sniffs the real type from the bytes; octet-stream is accepted for unknown files.
      contentType:
        file.type === "image/png" || file.type === "image/jpeg" ? file.type : "application/octet-stream",
    }),
  exportFindingToJira: (sessionId: string, findingId: string) =>
    json<JiraExport>("POST", `/v1/sessions/${enc(sessionId)}/findings/${enc(findingId)}/jira`),
  exportSession: async (sessionId: string, format: "md" | "json"): Promise<Blob> =>
    (await send("GET", `/v1/sessions/${enc(sessionId)}/export`, { query: { format } })).blob(),
  /** An authenticated binary GET (screenshots) turned into an object URL for <img>. */
  fetchBlob: async (path: string): Promise<Blob> => (await send("GET", path)).blob(),
};
