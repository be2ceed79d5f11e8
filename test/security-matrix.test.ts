import { beforeAll, describe, expect, it } from "vitest";
import { api } from "./helpers.ts";
import { type Caller, createCaller, createForeignResources } from "./security-matrix/fixtures.ts";
import {
  bodyOf,
  inPool,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  unknownId,
  urlOf,
} from "./security-matrix/operations.ts";

/**
 * The security matrix: every operation of /openapi.json, read at run time, is called
 * (a) without credentials, (b) with an expired and with a revoked key, (c) with a key of the same org
 * that lacks its permissions, and (d) with another tenant's ids in its path. A route registered with
 * `defineRoute` is covered the day it is added; nothing here lists routes by hand.
 */

const PARALLEL = 6;
/** Generous for a loaded machine; on an idle one the whole matrix takes a few seconds. */
const TIMEOUT_MS = 60_000;
/** Permissions to hand the "wrong key" of (c); the first one the operation does not need is used. */
const UNRELATED = ["usage:read", "audit:read", "org:read"];

let operations: Operation[] = [];
let caller: Caller;
let foreign: Map<string, string>;
let foreignKey: string;

beforeAll(async () => {
  const res = await api("/openapi.json");
  expect(res.status).toBe(200);
  operations = operationsOf((await res.json()) as OpenApiDocument);
  const [c, f] = await Promise.all([createCaller(), createForeignResources()]);
  caller = c;
  foreign = f.ids;
  foreignKey = f.tenant.apiKey;
}, 60_000);

const needsCredential = (op: Operation) => op.access !== "public";
/** Platform-admin operations reach every organisation by design; API keys can never call them. */
const platformAdminOnly = (op: Operation) => op.tags.includes("Platform admin");

type Outcome = { op: Operation; label: string; status: number; expected: number[]; detail: string };

async function call(op: Operation, label: string, expected: number[], url: string, token?: string) {
  const res = await api(url, { method: op.method, token, ...bodyOf(op) });
  const type = res.headers.get("content-type") ?? "";
  let detail = type;
  if (type.includes("json")) {
    const text = await res.text();
    detail = text.slice(0, 160);
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? detail;
    } catch {
      // Keep the raw start.
    }
  } else {
    await res.arrayBuffer(); // drain (an export, a screenshot)
  }
  return { op, label, status: res.status, expected, detail } satisfies Outcome;
}

/** Fails once, naming every operation that answered outside its expected statuses (never a 5xx). */
function expectAll(outcomes: Outcome[]) {
  const wrong = outcomes
    .filter((o) => o.status >= 500 || !o.expected.includes(o.status))
    .map((o) => `${o.op.name} [${o.label}] → ${o.status}, expected ${o.expected.join("/")}: ${o.detail}`);
  expect(wrong, `operations outside the security matrix:\n${wrong.join("\n")}`).toEqual([]);
}

const anyId = (prefix: string) => unknownId(prefix);

/**
 * Health, sign-up and sign-in, SSO and signed downloads, and the operations that check a credential
 * of their own: the metrics token, a webhook source's signature, a live room's or board's ticket.
 */
const PUBLIC_OPERATIONS = [
  "GET /healthz",
  "GET /metrics",
  "GET /readyz",
  "GET /v1/artifacts/{artifactId}/signed",
  "GET /v1/auth/sso/callback",
  "GET /v1/auth/sso/start",
  "GET /v1/pipeline/board/live",
  "GET /v1/sessions/{sessionId}/live",
  "POST /hooks/{sourceId}",
  "POST /v1/auth/mfa/verify",
  "POST /v1/auth/password-reset",
  "POST /v1/auth/password-reset/confirm",
  "POST /v1/auth/signin",
  "POST /v1/auth/signout",
  "POST /v1/auth/signup",
  "POST /v1/auth/signup/verify",
  "POST /v1/leads/hooks/{sourceId}",
];
/** A signed-in person's own account, sign-ins and organisations, before choosing one. */
const ORGLESS_OPERATIONS = [
  "DELETE /v1/auth/sign-ins/{signInId}",
  "DELETE /v1/me",
  "GET /v1/auth/mfa",
  "GET /v1/auth/sign-ins",
  "GET /v1/me",
  "GET /v1/orgs",
  "GET /v1/orgs/deleted",
  "POST /v1/auth/mfa/totp",
  "POST /v1/auth/mfa/totp/confirm",
  "POST /v1/auth/mfa/totp/disable",
  "POST /v1/auth/password",
  "POST /v1/invites/accept",
  "POST /v1/org/restore",
  "POST /v1/orgs",
];
/**
 * Org operations with no permission in their declaration, each deciding in its handler: MCP per tool,
 * removing a member (members:manage, or leaving oneself), the platform admins' own operations.
 */
const ANY_MEMBER_OPERATIONS = [
  "DELETE /mcp",
  "DELETE /v1/members/{userId}",
  "POST /mcp",
  "POST /v1/admin/users/{userId}/erase",
  "PUT /v1/admin/orgs/{orgId}/plan",
];

describe("security matrix (every operation of /openapi.json)", () => {
  it("reads the operations from the document, each declaring who may call it", () => {
    expect(operations.length).toBeGreaterThan(50);
    const guarded = operations.filter(needsCredential);
    expect(guarded.length).toBeGreaterThan(40);
    expect(guarded.filter((op) => op.idParams.length > 0).length).toBeGreaterThan(20);
    // Every route is declared with defineRoute (workers/route.ts), which always states its access.
    const undeclared = operations.filter(
      (op) => !op.declaresAccess || !["org", "orgless", "public"].includes(op.access),
    );
    expect(undeclared.map((op) => op.name)).toEqual([]);
  });

  // Who may call without an organisation is a decision, not a default: an operation that turns public,
  // org-less or open to every member (no permission) must be added here by hand, in review.
  it("pins the operations callable without credentials, without an organisation, or by any member", () => {
    const names = (access: string) =>
      operations
        .filter((op) => op.access === access)
        .map((op) => op.name)
        .sort();
    expect(names("public")).toEqual(PUBLIC_OPERATIONS);
    expect(names("orgless")).toEqual(ORGLESS_OPERATIONS);
    const anyMember = operations.filter((op) => op.access === "org" && op.permissions.length === 0);
    expect(anyMember.map((op) => op.name).sort()).toEqual(ANY_MEMBER_OPERATIONS);
  });

  it(
    "(a) refuses every non-public operation without credentials: 401",
    async () => {
      const ops = operations.filter(needsCredential);
      expectAll(await inPool(ops, PARALLEL, (op) => call(op, "no credential", [401], urlOf(op, anyId))));
    },
    TIMEOUT_MS,
  );

  it(
    "(b) refuses an expired and a revoked API key: 401",
    async () => {
      const ops = operations.filter(needsCredential);
      const cases = ops.flatMap((op) => [
        { op, label: "expired key", token: caller.expiredKey },
        { op, label: "revoked key", token: caller.revokedKey },
      ]);
      expectAll(
        await inPool(cases, PARALLEL, ({ op, label, token }) =>
          call(op, label, [401], urlOf(op, anyId), token),
        ),
      );
    },
    TIMEOUT_MS,
  );

  it(
    "(c) refuses a key of the same organisation lacking the operation's permissions: 403",
    async () => {
      const ops = operations.filter((op) => needsCredential(op) && op.permissions.length > 0);
      expect(ops.length).toBeGreaterThan(40);
      const outcomes = await inPool(ops, PARALLEL, async (op) => {
        const permission = UNRELATED.find((p) => !op.permissions.includes(p))!;
        const key = await caller.keyHolding(permission);
        return call(op, `key holding only ${permission}`, [403], urlOf(op, anyId), key);
      });
      expectAll(outcomes);
    },
    TIMEOUT_MS,
  );

  it(
    "(d) answers 404 for another tenant's ids (or unknown ones), whatever the caller may do",
    async () => {
      // A real id of the other tenant where one exists; org ids are always unknown ones, because a
      // platform admin may reach every organisation.
      const fill = (prefix: string) => (prefix !== "org" && foreign.get(prefix)) || unknownId(prefix);
      const ops = operations.filter((op) => op.idParams.length > 0);
      // GET/DELETE (and writes without a body) must say 404; a write's `{}` body may be refused first.
      const expectedFor = (op: Operation) =>
        op.method === "GET" || op.method === "DELETE" || !op.bodyTypes ? [404] : [400, 404, 422];
      const cases = ops.flatMap((op): { op: Operation; label: string; token?: string }[] => {
        if (!needsCredential(op)) return [{ op, label: "public, unknown ids", token: undefined }];
        const asAdmin = { op, label: "owner session, platform admin", token: caller.adminSession };
        if (platformAdminOnly(op)) return [asAdmin];
        return [asAdmin, { op, label: "owner API key", token: caller.ownerKey }];
      });
      const outcomes = await inPool(cases, PARALLEL, ({ op, label, token }) =>
        call(op, label, expectedFor(op), urlOf(op, needsCredential(op) ? fill : anyId), token),
      );
      expectAll(outcomes);
      // The ids used above are real: the matrix would notice a route that ignores the tenant.
      for (const prefix of [
        "prj",
        "ses",
        "run",
        "tst",
        "src",
        "whe",
        "evt",
        "hea",
        "hlc",
        "shot",
        "fnd",
        "res",
        "art",
      ]) {
        expect(foreign.get(prefix), `a real ${prefix}_ id of the other tenant`).toMatch(
          new RegExp(`^${prefix}_`),
        );
      }
    },
    TIMEOUT_MS,
  );

  it(
    "(d) control: the same reads with the owning tenant's key find the resources",
    async () => {
      // Without this, a 404 above could come from a broken fixture rather than from tenant scoping.
      const real = (op: Operation) =>
        op.method === "GET" &&
        needsCredential(op) &&
        op.idParams.length > 0 &&
        op.idParams.every((p) => p.prefix !== "org" && foreign.has(p.prefix));
      const ops = operations.filter(real);
      expect(ops.length).toBeGreaterThan(15);
      const outcomes = await inPool(ops, PARALLEL, (op) =>
        call(
          op,
          "the owner's own key",
          [200],
          urlOf(op, (prefix) => foreign.get(prefix)!),
          foreignKey,
        ),
      );
      expectAll(outcomes);
    },
    TIMEOUT_MS,
  );
});

describe("reading operations from a document", () => {
  const doc: OpenApiDocument = {
    paths: {
      "/v1/things/{thingId}/parts/{name}": {
        post: {
          responses: {},
          parameters: [
            { name: "thingId", in: "path", schema: { pattern: "^thg_[0-9a-z]{26}$" } },
            { name: "name", in: "path", schema: { type: "string" } },
            { name: "mode", in: "query", required: true, schema: { enum: ["fast", "slow"] } },
            { name: "page", in: "query", schema: { type: "integer" } },
          ],
          requestBody: { content: { "application/json": {} } },
          "x-shifty-permissions": ["things:write"],
        },
      },
      "/hooks/{sourceId}": {
        post: {
          responses: {},
          parameters: [
            { name: "sourceId", in: "path", schema: { example: "src_01jd0000000000000000000000" } },
          ],
          "x-shifty-access": "public",
        },
      },
    },
  };

  it("finds id prefixes in patterns and examples, required query values, bodies and access", () => {
    const [thing, hook] = operationsOf(doc);
    expect(thing).toMatchObject({
      name: "POST /v1/things/{thingId}/parts/{name}",
      access: "org",
      declaresAccess: false,
      permissions: ["things:write"],
      idParams: [{ name: "thingId", prefix: "thg" }],
      otherParams: ["name"],
      query: { mode: "fast" },
      bodyTypes: ["application/json"],
    });
    expect(hook).toMatchObject({ access: "public", declaresAccess: true, bodyTypes: null });
    expect(hook!.idParams).toEqual([{ name: "sourceId", prefix: "src" }]);
    expect(urlOf(thing!, (prefix) => `${prefix}_x`)).toBe("/v1/things/thg_x/parts/x?mode=fast");
    expect(unknownId("prj")).toMatch(/^prj_[0-9a-z]{26}$/);
    expect(bodyOf(thing!)).toEqual({ body: "{}", headers: { "content-type": "application/json" } });
    expect(bodyOf(hook!)).toEqual({});
  });

  it("runs at most `limit` at a time and keeps the order of results", async () => {
    let running = 0;
    let peak = 0;
    const results = await inPool([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n * 2));
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
