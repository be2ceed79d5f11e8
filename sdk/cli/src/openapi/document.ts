// Loading an OpenAPI 3.0/3.1 document for `shifty generate --openapi` (docs/test-generation.md) and
// resolving its local $refs. Pure: the caller reads the file or URL; this only parses and checks it.
// This folder imports nothing outside itself and no Node API: it plans, the command does the I/O.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type OpenApiDocument = JsonObject & { openapi: string; paths: JsonObject };

/** The document cannot be used at all (not JSON, not OpenAPI 3, no paths): the command stops. */
export class OpenApiError extends Error {
  override name = "OpenApiError";
}

/** One operation cannot be tested; the message is the skip reason shown in the summary. */
export class Unsupported extends Error {
  override name = "Unsupported";
}

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Parses and checks a document given as text (JSON) or as an already parsed value. */
export function parseDocument(input: string | unknown): OpenApiDocument {
  let doc: unknown = input;
  if (typeof input === "string") {
    const text = input.replace(/^\uFEFF/, "").trim();
    if (!text.startsWith("{")) {
      throw new OpenApiError(
        /^(openapi|swagger)\s*:/m.test(text)
          ? "YAML documents are not supported: convert the document to JSON first"
          : "not an OpenAPI document: expected a JSON object",
      );
    }
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new OpenApiError(`not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isObject(doc)) throw new OpenApiError("not an OpenAPI document: expected a JSON object");
  if (typeof doc.swagger === "string")
    throw new OpenApiError(`Swagger ${doc.swagger} is not supported: convert the document to OpenAPI 3`);
  if (typeof doc.openapi !== "string")
    throw new OpenApiError('not an OpenAPI document: the "openapi" version field is missing');
  if (!/^3\.[01]\.\d+/.test(doc.openapi))
    throw new OpenApiError(`OpenAPI ${doc.openapi} is not supported (3.0.x and 3.1.x are)`);
  if (!isObject(doc.paths) || Object.keys(doc.paths).length === 0)
    throw new OpenApiError('the document has no "paths": there is no operation to test');
  return doc as OpenApiDocument;
}

/** The value a local JSON pointer (`#/components/schemas/Pet`) names; external refs are unsupported. */
export function resolvePointer(doc: OpenApiDocument, ref: string): Json {
  if (!ref.startsWith("#")) throw new Unsupported(`external $ref "${ref}" is not supported`);
  let node: Json = doc;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    const next: Json | undefined = Array.isArray(node)
      ? node[Number(key)]
      : isObject(node)
        ? node[key]
        : undefined;
    if (next === undefined) throw new Unsupported(`$ref "${ref}" points at nothing`);
    node = next;
  }
  return node;
}

/** Follows a chain of $refs (parameters, request bodies, responses); a loop of refs is unsupported. */
export function deref(doc: OpenApiDocument, value: Json | undefined): Json | undefined {
  const seen = new Set<string>();
  let node = value;
  while (isObject(node) && typeof node.$ref === "string") {
    if (seen.has(node.$ref)) throw new Unsupported(`$ref "${node.$ref}" refers to itself`);
    seen.add(node.$ref);
    node = resolvePointer(doc, node.$ref);
  }
  return node;
}

/**
 * The URL the suite targets by default: servers[0] (variables at their defaults; a relative URL is
 * resolved against where the document came from), else the document's own origin.
 */
export function defaultBaseUrl(doc: OpenApiDocument, source?: string): string {
  const server = Array.isArray(doc.servers) ? doc.servers[0] : undefined;
  let url = isObject(server) && typeof server.url === "string" ? server.url : "";
  if (isObject(server) && isObject(server.variables)) {
    for (const [name, variable] of Object.entries(server.variables)) {
      const value = isObject(variable) && variable.default !== undefined ? String(variable.default) : "";
      url = url.split(`{${name}}`).join(value);
    }
  }
  const base = source && /^https?:/.test(source) ? source : "http://localhost/";
  try {
    const resolved = new URL(url || (source && /^https?:/.test(source) ? "/" : ""), base);
    return resolved.href.endsWith("/") ? resolved.href : `${resolved.href}/`;
  } catch {
    return base;
  }
}
