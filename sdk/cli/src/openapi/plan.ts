// The API test plan: per operation a positive test (valid request → documented 2xx, body checked against
// the response schema) and the negatives it supports (no credentials → 401/403 when secured; an invalid
// body → 4xx when it takes one). Deterministic, like the app planner (docs/test-generation.md).
import { type ParamValue, resolvePathParams, type SetupStep } from "./chain.ts";
import { type OpenApiDocument, Unsupported } from "./document.ts";
import { type Operation, readOperations } from "./operations.ts";

export type ApiTestKind = "success" | "unauthorized" | "invalid-body";

export type ApiTest = {
  file: string;
  name: string;
  intent: string;
  kind: ApiTestKind;
  operation: Operation;
  setup: SetupStep[];
  params: Record<string, ParamValue>;
};

export type ApiPlan = {
  tests: ApiTest[];
  operations: number;
  skipped: { operation: string; reason: string }[];
};

/** Safe methods first, so a small --max-tests exercises the API while changing it least. */
const METHOD_RANK: Record<string, number> = {
  GET: 0,
  HEAD: 0,
  OPTIONS: 0,
  POST: 1,
  PUT: 2,
  PATCH: 2,
  DELETE: 3,
};

export function planApiTests(doc: OpenApiDocument, options: { maxTests: number }): ApiPlan {
  const { operations, skipped } = readOperations(doc);
  const total = operations.length + skipped.length;
  const groups: ApiTest[][] = [];
  for (const op of operations) {
    try {
      const { setup, params } = resolvePathParams(doc, op, operations);
      groups.push(testsFor(op, setup, params));
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      skipped.push({ operation: op.key, reason: error.message });
    }
  }
  groups.sort(
    (a, b) =>
      (METHOD_RANK[a[0]!.operation.method] ?? 4) - (METHOD_RANK[b[0]!.operation.method] ?? 4) ||
      a[0]!.operation.order - b[0]!.operation.order,
  );
  const kept: ApiTest[] = [];
  for (const group of groups) {
    for (const test of group) if (kept.length < options.maxTests) kept.push(test);
  }
  kept.sort((a, b) => a.operation.order - b.operation.order);
  return { tests: kept, operations: total, skipped: sortSkipped(skipped) };
}

function sortSkipped(skipped: ApiPlan["skipped"]) {
  return [...skipped].sort((a, b) => a.operation.localeCompare(b.operation));
}

function testsFor(op: Operation, setup: SetupStep[], params: Record<string, ParamValue>): ApiTest[] {
  const file = fileFor(op);
  const what = oneLine(op.summary) || op.key;
  const statuses = op.success.map((s) => (s.status === 0 ? "2xx" : String(s.status))).join("/");
  const checked = op.success.some((s) => s.schema !== null);
  const chained = setup.length ? ` (ids from ${setup.map((s) => s.operation.key).join(", ")})` : "";
  const tests: ApiTest[] = [
    {
      file,
      name: `${op.key} → ${statuses}${checked ? " with a body matching the schema" : ""}`,
      intent: `${what}: a valid request is answered ${statuses}${checked ? " and the body matches the response schema" : ""}${chained}.`,
      kind: "success",
      operation: op,
      setup,
      params,
    },
  ];
  if (op.secured && op.auth)
    tests.push({
      file,
      name: `${op.key} without credentials → 401/403`,
      intent: `${what}: the operation requires "${op.auth.scheme}" credentials; without them it is refused.`,
      kind: "unauthorized",
      operation: op,
      setup,
      params,
    });
  if (op.invalid)
    tests.push({
      file,
      name: `${op.key} with a body ${op.invalid.why} → 4xx`,
      intent: `${what}: a body ${op.invalid.why} is refused with a client error.`,
      kind: "invalid-body",
      operation: op,
      setup,
      params,
    });
  return tests;
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/** One spec per tag (else per first path segment after a version prefix). */
export function fileFor(op: Operation): string {
  const segments = op.path.split("/").filter((s) => s && !s.startsWith("{") && !/^v\d+$/i.test(s));
  const slug = (op.tag || segments[0] || "root")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${slug || "api"}.spec.ts`;
}
