/**
 * Prints a TypeScript type for a JSON Schema produced by `z.toJSONSchema` (draft 2020-12, output
 * side). Covers what the HTTP contract uses: objects (required / optional / records), arrays,
 * primitives, enums, consts, unions, nullables and `$ref`s to named definitions. Used by
 * scripts/contract/sdk-types.ts to keep sdk/ typed from shared/contract (docs/architecture.md).
 */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  description?: string;
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function toTypeScript(schema: JsonSchema, indent = ""): string {
  if (schema.$ref) return schema.$ref.replace(/^#\/(\$defs|definitions)\//, "");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return unique(union.map((s) => wrap(toTypeScript(s, indent)))).join(" | ");
  if (schema.allOf) return schema.allOf.map((s) => wrap(toTypeScript(s, indent))).join(" & ");
  if (Array.isArray(schema.type)) {
    return unique(schema.type.map((t) => toTypeScript({ ...schema, type: t }, indent))).join(" | ");
  }
  switch (schema.type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      if (schema.prefixItems) return `[${schema.prefixItems.map((s) => toTypeScript(s, indent)).join(", ")}]`;
      return `${wrap(toTypeScript(schema.items ?? {}, indent))}[]`;
    case "object":
      return objectType(schema, indent);
    default:
      return "unknown";
  }
}

function objectType(schema: JsonSchema, indent: string): string {
  const props = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  if (props.length === 0) {
    if (extra && typeof extra === "object") return `Record<string, ${toTypeScript(extra, indent)}>`;
    return extra === false ? "Record<string, never>" : "Record<string, unknown>";
  }
  const inner = `${indent}  `;
  const required = new Set(schema.required ?? []);
  const lines = props.map(([name, prop]) => {
    const key = IDENTIFIER.test(name) ? name : JSON.stringify(name);
    const doc = prop.description ? `${inner}/** ${prop.description.replaceAll("*/", "* /")} */\n` : "";
    return `${doc}${inner}${key}${required.has(name) ? "" : "?"}: ${toTypeScript(prop, inner)};`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/** Parenthesises a type only where a `|` or `&` stands outside every bracket (`Record<string, a | b>` needs none). */
function wrap(type: string): string {
  let depth = 0;
  for (const char of type) {
    if ("<{([".includes(char)) depth++;
    else if (">})]".includes(char)) depth--;
    else if (depth === 0 && (char === "|" || char === "&")) return `(${type})`;
  }
  return type;
}
const unique = (items: string[]) => [...new Set(items)];
