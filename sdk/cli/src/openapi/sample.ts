// Values built from JSON Schemas (OpenAPI 3.0 and 3.1 dialects): a valid example for a request, and
// an invalid variant of a request body for the negative tests. Deterministic: the same schema always
// gives the same value, so a regenerated suite diffs cleanly.
import {
  isObject,
  type Json,
  type JsonObject,
  type OpenApiDocument,
  resolvePointer,
  Unsupported,
} from "./document.ts";

/**
 * Plain generated strings (no example, format, pattern or enum) carry this prefix and their maxLength;
 * the renderer turns them into `unique(…)` so repeated runs do not collide on unique names or slugs.
 */
export const UNIQUE = "\u0000unique:";
export const plainString = (value: string) =>
  value.startsWith(UNIQUE) ? value.slice(value.indexOf(":", UNIQUE.length) + 1) : value;

/** Sampling reached a $ref already being sampled: the caller may leave that part out. */
class Recursion extends Unsupported {}

const MAX_DEPTH = 24;

const FORMATS: Record<string, string> = {
  "date-time": "2026-01-02T03:04:05Z",
  date: "2026-01-02",
  time: "03:04:05Z",
  email: "shifty@example.com",
  "idn-email": "shifty@example.com",
  uuid: "3f0c2a9e-6b1d-4c8e-9a57-2d4e6f8a1b3c",
  uri: "https://example.com/",
  url: "https://example.com/",
  "uri-reference": "https://example.com/",
  hostname: "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  byte: "c2hpZnR5",
  password: "Secret-123456",
};

/** Strings tried, in order, against a `pattern` when there is no example. */
const PATTERN_CANDIDATES = [
  "shifty",
  "a",
  "abc123",
  "A1",
  "1",
  "123456",
  "shifty-test",
  "Shifty",
  "SHIFTY",
  "example.com",
  "owner/repo",
  "ABC",
  "src/app.ts:1:1",
  "x_01jd0000000000000000000000",
];

type Context = { doc: OpenApiDocument; stack: string[]; mode: "request" | "response" };

/** A valid value for `schema`, or Unsupported with the reason one cannot be built. */
export function sampleValue(
  doc: OpenApiDocument,
  schema: Json | undefined,
  mode: "request" | "response" = "request",
): Json {
  try {
    return sample(schema, { doc, stack: [], mode });
  } catch (error) {
    if (error instanceof Recursion) throw new Unsupported(error.message);
    throw error;
  }
}

function sample(schema: Json | undefined, ctx: Context): Json {
  if (schema === undefined || schema === true) return "shifty";
  if (schema === false) throw new Unsupported("a schema that accepts nothing (false)");
  if (!isObject(schema)) throw new Unsupported("a schema that is not an object");
  if (ctx.stack.length > MAX_DEPTH) throw new Unsupported("a schema nested too deeply");
  if (typeof schema.$ref === "string") {
    const ref = schema.$ref;
    if (ctx.stack.includes(ref)) throw new Recursion(`a required recursive $ref "${ref}"`);
    const { $ref: _ref, ...siblings } = schema;
    const target = resolvePointer(ctx.doc, ref);
    const merged = isObject(target) ? { ...target, ...siblings } : target;
    return sample(merged, { ...ctx, stack: [...ctx.stack, ref] });
  }
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0]!;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0)
    return schema.enum.find((v) => v !== null) ?? schema.enum[0]!;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.allOf)) return sampleAllOf(schema, schema.allOf, ctx);
  const alternatives = Array.isArray(schema.oneOf) ? schema.oneOf : schema.anyOf;
  if (Array.isArray(alternatives)) return sampleAlternatives(alternatives, ctx);
  switch (typeOf(schema)) {
    case "object":
      return sampleObject(schema, ctx);
    case "array":
      return sampleArray(schema, ctx);
    case "integer":
    case "number":
      return sampleNumber(schema);
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return sampleString(schema);
  }
}

/** The schema's type: the first non-null one of a 3.1 type list, else inferred from its keywords. */
export function typeOf(schema: JsonObject): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => typeof t === "string" && t !== "null") ?? types[0];
  if (typeof type === "string") return type;
  if (isObject(schema.properties) || schema.required || schema.additionalProperties) return "object";
  if (schema.items !== undefined || schema.prefixItems !== undefined) return "array";
  return undefined;
}

function sampleAllOf(schema: JsonObject, parts: Json[], ctx: Context): Json {
  const { allOf: _allOf, ...rest } = schema;
  const values = [...parts, ...(Object.keys(rest).length ? [rest] : [])].map((p) => sample(p, ctx));
  if (values.every(isObject)) return Object.assign({}, ...values) as JsonObject;
  return values.find((v) => typeof v !== "string" || !v.startsWith(UNIQUE)) ?? values[0]!;
}

function sampleAlternatives(alternatives: Json[], ctx: Context): Json {
  let failure: Unsupported | null = null;
  // A null-only alternative is the last resort: a real value exercises the API more.
  const ordered = [
    ...alternatives.filter((a) => !(isObject(a) && a.type === "null")),
    ...alternatives.filter((a) => isObject(a) && a.type === "null"),
  ];
  for (const alternative of ordered) {
    try {
      return sample(alternative, ctx);
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      failure ??= error;
    }
  }
  throw failure ?? new Unsupported("an empty oneOf/anyOf");
}

function skipped(property: Json | undefined, mode: Context["mode"]): boolean {
  if (!isObject(property)) return false;
  return mode === "request" ? property.readOnly === true : property.writeOnly === true;
}

function sampleObject(schema: JsonObject, ctx: Context): Json {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required)
    ? schema.required.filter((r): r is string => typeof r === "string")
    : [];
  const out: JsonObject = {};
  for (const name of required) {
    if (skipped(properties[name], ctx.mode)) continue;
    const property =
      properties[name] ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : true);
    out[name] = sample(property, ctx);
  }
  // Optional properties only when minProperties asks for more than the required ones.
  const min = typeof schema.minProperties === "number" ? schema.minProperties : 0;
  for (const [name, property] of Object.entries(properties)) {
    if (Object.keys(out).length >= min) break;
    if (name in out || skipped(property, ctx.mode)) continue;
    try {
      out[name] = sample(property, ctx);
    } catch (error) {
      if (!(error instanceof Recursion)) throw error;
    }
  }
  if (Object.keys(out).length < min && isObject(schema.additionalProperties)) {
    for (let i = Object.keys(out).length; i < min; i++)
      out[`key${i + 1}`] = sample(schema.additionalProperties, ctx);
  }
  return out;
}

function sampleArray(schema: JsonObject, ctx: Context): Json {
  const min = typeof schema.minItems === "number" ? schema.minItems : 0;
  const max = typeof schema.maxItems === "number" ? schema.maxItems : Number.POSITIVE_INFINITY;
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const count = Math.min(Math.max(min, 1, prefix.length), max);
  const out: Json[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const value = sample(prefix[i] ?? schema.items, ctx);
      out.push(schema.uniqueItems === true && i > 0 ? distinct(value, i) : value);
    }
  } catch (error) {
    // An empty array is valid when allowed: that is how a recursive item schema ends.
    if (error instanceof Recursion && min === 0 && prefix.length === 0) return [];
    throw error;
  }
  return out;
}

function distinct(value: Json, i: number): Json {
  if (typeof value === "string") return `${value}${i + 1}`; // a unique(…) string stays unique
  if (typeof value === "number") return value + i;
  return value;
}

function sampleNumber(schema: JsonObject): number {
  const integer = typeOf(schema) === "integer";
  const bound = (v: Json | undefined) => (typeof v === "number" ? v : undefined);
  // 3.0 writes exclusiveMinimum: true beside minimum; 3.1 writes the bound in exclusiveMinimum.
  let lo = bound(schema.minimum);
  let hi = bound(schema.maximum);
  const step = integer ? 1 : 0.5;
  if (schema.exclusiveMinimum === true && lo !== undefined) lo += step;
  if (typeof schema.exclusiveMinimum === "number") lo = schema.exclusiveMinimum + step;
  if (schema.exclusiveMaximum === true && hi !== undefined) hi -= step;
  if (typeof schema.exclusiveMaximum === "number") hi = schema.exclusiveMaximum - step;
  let value = lo ?? (hi !== undefined ? Math.min(1, hi) : 1);
  if (integer) value = Math.ceil(value);
  const multiple = bound(schema.multipleOf);
  if (multiple && multiple > 0) value = Math.ceil(value / multiple) * multiple;
  if (hi !== undefined && value > hi)
    throw new Unsupported(`no ${integer ? "integer" : "number"} satisfies the schema's bounds`);
  return value;
}

function sampleString(schema: JsonObject): string {
  const format = typeof schema.format === "string" ? schema.format : "";
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  const toLength = (s: string) => {
    let out = s;
    while (out.length < minLength) out += s || "x";
    return out.slice(0, Math.max(minLength, Math.min(out.length, maxLength)));
  };
  const base = FORMATS[format] ?? "shifty";
  if (typeof schema.pattern !== "string")
    return FORMATS[format]
      ? base
      : `${UNIQUE}${Number.isFinite(maxLength) ? maxLength : 0}:${toLength(base)}`;
  let pattern: RegExp;
  try {
    pattern = new RegExp(schema.pattern, "u");
  } catch {
    throw new Unsupported(`the pattern /${schema.pattern}/ is not a valid regular expression`);
  }
  for (const candidate of [base, ...PATTERN_CANDIDATES]) {
    for (const value of [candidate, toLength(candidate)]) {
      if (pattern.test(value) && value.length >= minLength && value.length <= maxLength) return value;
    }
  }
  throw new Unsupported(`no example matches the pattern /${schema.pattern}/ (add an "example")`);
}

/**
 * A body the operation must refuse: the valid sample without its first required field, else with a
 * property of the wrong type, else an array instead of an object. Null when none can be built.
 */
export function invalidBody(
  doc: OpenApiDocument,
  schema: Json | undefined,
): { value: Json; why: string } | null {
  const root = flatten(doc, schema, 0);
  if (!root || typeOf(root) !== "object") return null;
  const valid = sampleValue(doc, schema);
  if (!isObject(valid)) return null;
  const properties = isObject(root.properties) ? root.properties : {};
  const required = (Array.isArray(root.required) ? root.required : []).filter(
    (r): r is string => typeof r === "string" && r in valid,
  );
  if (required[0]) {
    const { [required[0]]: _dropped, ...rest } = valid;
    return { value: rest, why: `without the required field "${required[0]}"` };
  }
  for (const [name, property] of Object.entries(properties)) {
    const flat = flatten(doc, property, 0);
    const type = flat && !Array.isArray(flat.type) ? typeOf(flat) : undefined;
    const wrong = type ? WRONG[type] : undefined;
    if (!wrong || flat?.nullable === true) continue;
    return { value: { ...valid, [name]: wrong.value }, why: `with "${name}" ${wrong.why}` };
  }
  return { value: [], why: "that is an array instead of an object" };
}

const WRONG: Record<string, { value: Json; why: string }> = {
  string: { value: 12345, why: "a number instead of a string" },
  integer: { value: "not-a-number", why: "a string instead of an integer" },
  number: { value: "not-a-number", why: "a string instead of a number" },
  boolean: { value: "not-a-boolean", why: "a string instead of a boolean" },
  array: { value: "not-an-array", why: "a string instead of an array" },
  object: { value: "not-an-object", why: "a string instead of an object" },
};

/** The schema with $refs and allOf merged at the top level (enough to find required fields). */
export function flatten(doc: OpenApiDocument, schema: Json | undefined, depth: number): JsonObject | null {
  if (!isObject(schema) || depth > 8) return null;
  if (typeof schema.$ref === "string") return flatten(doc, resolvePointer(doc, schema.$ref), depth + 1);
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  const parts = allOf.map((p) => flatten(doc, p, depth + 1)).filter((p): p is JsonObject => p !== null);
  const merged: JsonObject = { ...rest };
  const properties: JsonObject = isObject(rest.properties) ? { ...rest.properties } : {};
  const required: Json[] = Array.isArray(rest.required) ? [...rest.required] : [];
  for (const p of parts) {
    Object.assign(merged, p);
    if (isObject(p.properties)) Object.assign(properties, p.properties);
    if (Array.isArray(p.required)) required.push(...p.required);
  }
  return { ...merged, properties, required };
}
