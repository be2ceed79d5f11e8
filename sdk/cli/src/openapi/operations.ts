// An OpenAPI document's operations in a form the planner can use: each request built from the schema
// (parameters, JSON body, credentials) and what a success looks like (2xx statuses, response schemas).
// Whatever cannot be built becomes an Unsupported reason; path parameters are left to ./chain.ts.
import {
  deref,
  isObject,
  type Json,
  type JsonObject,
  type OpenApiDocument,
  Unsupported,
} from "./document.ts";
import { invalidBody, plainString, sampleValue } from "./sample.ts";

const METHODS = ["get", "head", "post", "put", "patch", "delete", "options"] as const;

export type Auth = { scheme: string; kind: "bearer" | "header" | "cookie"; name: string };

export type Operation = {
  /** "GET /pets/{petId}" */
  key: string;
  method: string;
  path: string;
  order: number;
  tag: string;
  summary: string;
  pathParams: { name: string; example: string | null }[];
  /** Query string built from the required query parameters ("" or "?a=1&b=2"). */
  query: string;
  headers: Record<string, string>;
  body: { mediaType: string; value: Json } | null;
  invalid: { value: Json; why: string } | null;
  /** Credentials to send; null when the operation needs none. */
  auth: Auth | null;
  /** Whether a request without credentials must be refused. */
  secured: boolean;
  /** Documented 2xx statuses and the JSON schema of each body (null: no JSON body to check). */
  success: { status: number; schema: Json | null }[];
};

export type ReadResult = { operations: Operation[]; skipped: { operation: string; reason: string }[] };

/** Every operation of the document, or the reason it cannot be tested. */
export function readOperations(doc: OpenApiDocument): ReadResult {
  const operations: Operation[] = [];
  const skipped: ReadResult["skipped"] = [];
  let order = 0;
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const item = deref(doc, rawItem);
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const key = `${method.toUpperCase()} ${path}`;
      try {
        operations.push(readOperation(doc, path, method, item, op, key, order++));
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        skipped.push({ operation: key, reason: error.message });
      }
    }
  }
  return { operations, skipped };
}

function readOperation(
  doc: OpenApiDocument,
  path: string,
  method: string,
  item: JsonObject,
  op: JsonObject,
  key: string,
  order: number,
): Operation {
  const success = successResponses(doc, op);
  const params = parameters(doc, item, op);
  const pathParams: Operation["pathParams"] = [];
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of params) {
    const name = String(p.name);
    if (p.in === "path") pathParams.push({ name, example: exampleOf(doc, p) });
    if (p.required !== true || p.in === "path") continue;
    const value = exampleOf(doc, p) ?? scalar(sampleValue(doc, p.schema), name);
    if (p.in === "query") query.append(name, value);
    else if (p.in === "header") headers[name] = value;
    else if (p.in === "cookie")
      headers.cookie = [headers.cookie, `${name}=${value}`].filter(Boolean).join("; ");
  }
  for (const name of path.match(/\{[^}]+\}/g) ?? []) {
    const bare = name.slice(1, -1);
    if (!pathParams.some((p) => p.name === bare)) pathParams.push({ name: bare, example: null });
  }
  const { body, invalid } = requestBody(doc, op);
  const { auth, secured } = security(doc, op);
  return {
    key,
    method: method.toUpperCase(),
    path,
    order,
    tag: Array.isArray(op.tags) && typeof op.tags[0] === "string" ? op.tags[0] : "",
    summary: typeof op.summary === "string" ? op.summary : "",
    pathParams,
    query: query.size ? `?${query}` : "",
    headers,
    body,
    invalid,
    auth,
    secured,
    success,
  };
}

function parameters(doc: OpenApiDocument, item: JsonObject, op: JsonObject): JsonObject[] {
  const byKey = new Map<string, JsonObject>();
  for (const list of [item.parameters, op.parameters]) {
    for (const raw of Array.isArray(list) ? list : []) {
      const p = deref(doc, raw);
      if (isObject(p) && typeof p.name === "string") byKey.set(`${p.in}:${p.name}`, p);
    }
  }
  return [...byKey.values()];
}

/** A parameter's example (its own, its first `examples` entry, its schema's), as a string. */
function exampleOf(doc: OpenApiDocument, p: JsonObject): string | null {
  const schema = deref(doc, p.schema);
  const fromExamples = isObject(p.examples)
    ? Object.values(p.examples)
        .map((e) => deref(doc, e))
        .find(isObject)?.value
    : undefined;
  const candidates = [
    p.example,
    fromExamples,
    isObject(schema) ? schema.example : undefined,
    isObject(schema) && Array.isArray(schema.examples) ? schema.examples[0] : undefined,
  ];
  const found = candidates.find((c) => c !== undefined && c !== null);
  return found === undefined ? null : scalar(found, String(p.name));
}

function scalar(value: Json | undefined, name: string): string {
  if (Array.isArray(value)) return value.map((v) => scalar(v, name)).join(",");
  if (isObject(value)) throw new Unsupported(`the object-valued parameter "${name}" is not supported`);
  return typeof value === "string" ? plainString(value) : String(value);
}

const isJson = (mediaType: string) => /^application\/(.+\+)?json(;|$)/i.test(mediaType);

function requestBody(doc: OpenApiDocument, op: JsonObject) {
  const rb = deref(doc, op.requestBody);
  if (!isObject(rb) || !isObject(rb.content)) return { body: null, invalid: null };
  const mediaType = Object.keys(rb.content).find(isJson);
  if (!mediaType) {
    if (rb.required !== true) return { body: null, invalid: null };
    const types = Object.keys(rb.content).join(", ");
    throw new Unsupported(`the request body is ${types || "empty"}; only JSON bodies are generated`);
  }
  const media = deref(doc, rb.content[mediaType]);
  const m = isObject(media) ? media : {};
  const named = isObject(m.examples)
    ? Object.values(m.examples)
        .map((e) => deref(doc, e))
        .find((e) => isObject(e) && e.value !== undefined)
    : undefined;
  const value =
    m.example !== undefined
      ? m.example
      : isObject(named) && named.value !== undefined
        ? named.value
        : sampleValue(doc, m.schema);
  return { body: { mediaType, value }, invalid: m.schema ? invalidBody(doc, m.schema) : null };
}

function successResponses(doc: OpenApiDocument, op: JsonObject): Operation["success"] {
  const responses = isObject(op.responses) ? op.responses : {};
  const out: Operation["success"] = [];
  for (const [code, raw] of Object.entries(responses)) {
    if (!/^2(\d\d|XX)$/i.test(code)) continue;
    const response = deref(doc, raw);
    const content = isObject(response) && isObject(response.content) ? response.content : {};
    const mediaType = Object.keys(content).find(isJson);
    const media = mediaType ? deref(doc, content[mediaType]) : undefined;
    const schema = isObject(media) && media.schema !== undefined ? media.schema : null;
    // "2XX" stands for any success; it is checked as 200–299 by the renderer.
    out.push({ status: /XX/i.test(code) ? 0 : Number(code), schema });
  }
  if (out.length === 0) {
    const codes = Object.keys(responses).join(", ") || "none";
    throw new Unsupported(`no documented 2xx response (documented: ${codes})`);
  }
  return out.sort((a, b) => a.status - b.status);
}

function security(doc: OpenApiDocument, op: JsonObject): { auth: Auth | null; secured: boolean } {
  const requirements = Array.isArray(op.security)
    ? op.security
    : Array.isArray(doc.security)
      ? doc.security
      : [];
  if (requirements.length === 0) return { auth: null, secured: false };
  // An empty requirement ({}) makes credentials optional: nothing to refuse without them.
  const optional = requirements.some((r) => isObject(r) && Object.keys(r).length === 0);
  const schemes =
    isObject(doc.components) && isObject(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : {};
  const reasons: string[] = [];
  for (const requirement of requirements) {
    if (!isObject(requirement)) continue;
    for (const name of Object.keys(requirement)) {
      const scheme = deref(doc, schemes[name]);
      const auth = isObject(scheme) ? authFor(name, scheme) : null;
      if (auth) return { auth, secured: !optional };
      reasons.push(isObject(scheme) ? describeScheme(name, scheme) : `"${name}" (not declared)`);
    }
  }
  if (optional) return { auth: null, secured: false };
  throw new Unsupported(
    `security scheme ${reasons.join(", ")} is not supported (http bearer, apiKey in a header or cookie, oauth2/openIdConnect as bearer)`,
  );
}

function authFor(name: string, scheme: JsonObject): Auth | null {
  const type = String(scheme.type);
  if (type === "http" && String(scheme.scheme).toLowerCase() === "bearer")
    return { scheme: name, kind: "bearer", name: "authorization" };
  if (type === "oauth2" || type === "openIdConnect")
    return { scheme: name, kind: "bearer", name: "authorization" };
  if (type === "apiKey" && typeof scheme.name === "string") {
    if (scheme.in === "header") return { scheme: name, kind: "header", name: scheme.name };
    if (scheme.in === "cookie") return { scheme: name, kind: "cookie", name: scheme.name };
  }
  return null;
}

function describeScheme(name: string, scheme: JsonObject): string {
  const detail =
    scheme.type === "http"
      ? `http ${scheme.scheme}`
      : scheme.type === "apiKey"
        ? `apiKey in ${scheme.in}`
        : scheme.type;
  return `"${name}" (${String(detail)})`;
}
