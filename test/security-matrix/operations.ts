/**
 * The operations of the OpenAPI document, reduced to what the security matrix needs. Everything comes
 * from the document (`x-shifty-access`, `x-shifty-permissions`, the path parameters' pattern/example),
 * so a route is in the matrix the day it is registered with `defineRoute` (workers/route.ts).
 */

export type Access = "org" | "orgless" | "public";

export type Operation = {
  /** `GET /v1/projects/{projectId}`: how failures name the operation. */
  name: string;
  method: string;
  path: string;
  /** `x-shifty-access`; an operation without it is treated as `org` (and reported by the matrix). */
  access: Access;
  declaresAccess: boolean;
  permissions: string[];
  tags: string[];
  /** Path parameters holding one of our prefixed ids (`prj_…`), with that prefix. */
  idParams: { name: string; prefix: string }[];
  /** Path parameters that are not prefixed ids (the matrix cannot fill them with a foreign id). */
  otherParams: string[];
  /** Required query parameters and a value the document offers for each. */
  query: Record<string, string>;
  /** Media types of the request body, or null when the operation takes none. */
  bodyTypes: string[] | null;
};

type Schema = { pattern?: string; example?: unknown; enum?: unknown[]; default?: unknown; type?: string };
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema; example?: unknown };
type OperationObject = {
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: unknown;
  "x-shifty-access"?: Access;
  "x-shifty-permissions"?: string[];
};
export type OpenApiDocument = { paths: Record<string, Record<string, OperationObject>> };

const METHODS = new Set(["get", "post", "put", "patch", "delete"]);
const PREFIXED_ID = /^\^?([a-z]+)_/;

/** `prj` for a parameter whose pattern is `^prj_[0-9a-z]{26}$` or whose example is `prj_01…`. */
export function idPrefixOf(param: Parameter): string | null {
  for (const source of [param.schema?.pattern, param.schema?.example, param.example]) {
    if (typeof source !== "string") continue;
    const match = PREFIXED_ID.exec(source);
    if (match) return match[1]!;
  }
  return null;
}

function queryValue(param: Parameter): string {
  const s = param.schema ?? {};
  const value = s.enum?.[0] ?? s.example ?? param.example ?? s.default ?? (s.type === "integer" ? 1 : "x");
  return String(value);
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method) || !op?.responses) continue;
      const params = op.parameters ?? [];
      const idParams: Operation["idParams"] = [];
      const otherParams: string[] = [];
      for (const p of params.filter((p) => p.in === "path")) {
        const prefix = idPrefixOf(p);
        if (prefix) idParams.push({ name: p.name, prefix });
        else otherParams.push(p.name);
      }
      const query: Record<string, string> = {};
      for (const p of params.filter((p) => p.in === "query" && p.required)) query[p.name] = queryValue(p);
      const content = op.requestBody?.content;
      out.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        access: op["x-shifty-access"] ?? "org",
        declaresAccess: op["x-shifty-access"] !== undefined,
        permissions: op["x-shifty-permissions"] ?? [],
        tags: op.tags ?? [],
        idParams,
        otherParams,
        query,
        bodyTypes: content ? Object.keys(content) : null,
      });
    }
  }
  return out;
}

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** A well-formed id no one holds (random 26-character tail, same shape as shared/ids.ts makes). */
export function unknownId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(26));
  return `${prefix}_${Array.from(bytes, (b) => ALPHABET[b % 32]).join("")}`;
}

/** The URL of `op` with each path parameter filled by `fill(prefix)` (or a placeholder). */
export function urlOf(op: Operation, fill: (prefix: string) => string): string {
  const prefixes = new Map(op.idParams.map((p) => [p.name, p.prefix]));
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const prefix = prefixes.get(name);
    return encodeURIComponent(prefix ? fill(prefix) : "x");
  });
  const qs = new URLSearchParams(op.query).toString();
  return qs ? `${path}?${qs}` : path;
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]);

/** A minimal request body: `{}` as JSON when the operation takes JSON, else a few bytes of its type. */
export function bodyOf(op: Operation): { body?: BodyInit; headers?: Record<string, string> } {
  if (!op.bodyTypes) return {};
  if (op.bodyTypes.includes("application/json")) {
    return { body: "{}", headers: { "content-type": "application/json" } };
  }
  const type = op.bodyTypes[0] ?? "application/octet-stream";
  return { body: type.startsWith("image/png") ? PNG : "x", headers: { "content-type": type } };
}

/** Runs `work` over `items` with at most `limit` in flight (keeps the worker and D1 unflooded). */
export async function inPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
