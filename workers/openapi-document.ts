/**
 * Repairs two faults of the schema → OpenAPI conversion before the document is served
 * (docs/http-conventions.md, "OpenAPI document"), so generators and validators that read
 * /openapi.json see what the routes accept and answer:
 * - a regular expression with flags (`/…/u`, needed for `\p{L}`) comes out with the flags glued to the
 *   pattern (`^[\p{L}]+$/u`), which no input can match; JSON Schema patterns are already Unicode-aware,
 *   so the flags are dropped;
 * - a nullable reference comes out as `allOf: [{ $ref }, { type: [..., "null"] }]`, which rejects
 *   `null`; it becomes `anyOf: [{ $ref }, { type: "null" }]`.
 */
export function repairOpenApiDocument<T>(document: T): T {
  return repair(document) as T;
}

const FLAGS_SUFFIX = /\/[dgimsuvy]+$/;

function repair(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(repair);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === "pattern" && typeof value === "string" ? value.replace(FLAGS_SUFFIX, "") : repair(value);
  }
  const nullableRef = asNullableRef(out.allOf);
  if (nullableRef) {
    delete out.allOf;
    out.anyOf = [nullableRef, { type: "null" }];
  }
  return out;
}

/** `[{ $ref }, { type: [x, "null"] }]` (either order) → the `{ $ref }`; anything else → null. */
function asNullableRef(allOf: unknown): Record<string, unknown> | null {
  if (!Array.isArray(allOf) || allOf.length !== 2) return null;
  const ref = allOf.find((s) => typeof s?.$ref === "string" && Object.keys(s).length === 1);
  const nullable = allOf.find(
    (s) => Array.isArray(s?.type) && s.type.includes("null") && Object.keys(s).length === 1,
  );
  return ref && nullable ? ref : null;
}
