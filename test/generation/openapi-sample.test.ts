// Values built from schemas for `shifty generate --openapi` (sdk/cli/src/openapi/sample.ts).
import { describe, expect, it } from "vitest";
import { type OpenApiDocument, parseDocument, Unsupported } from "../../sdk/cli/src/openapi/document.ts";
import { invalidBody, plainString, sampleValue, UNIQUE } from "../../sdk/cli/src/openapi/sample.ts";

const doc = (schemas: Record<string, unknown> = {}): OpenApiDocument =>
  parseDocument({
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: { "/x": {} },
    components: { schemas },
  });

const sample = (schema: unknown, schemas: Record<string, unknown> = {}) =>
  sampleValue(doc(schemas), schema as never);

describe("sampleValue", () => {
  it("prefers example, then examples, const, enum and default over generated values", () => {
    expect(sample({ type: "string", example: "from-example", enum: ["a"] })).toBe("from-example");
    expect(sample({ type: "integer", examples: [7, 8] })).toBe(7);
    expect(sample({ const: "fixed" })).toBe("fixed");
    expect(sample({ type: "string", enum: [null, "open", "closed"] })).toBe("open");
    expect(sample({ type: "integer", default: 25 })).toBe(25);
  });

  it("builds strings from formats, patterns and length bounds", () => {
    expect(sample({ type: "string", format: "email" })).toBe("shifty@example.com");
    expect(sample({ type: "string", format: "uuid" })).toMatch(/^[0-9a-f-]{36}$/);
    expect(sample({ type: "string", format: "date-time" })).toBe("2026-01-02T03:04:05Z");
    expect(sample({ type: "string", pattern: "^[A-Z]{3}$" })).toBe("ABC");
    expect(sample({ type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,47}$" })).toBe("shifty");
    // A plain string is marked to become unique(…) in the suite, with its maxLength.
    const plain = sample({ type: "string", minLength: 10, maxLength: 12 }) as string;
    expect(plain.startsWith(`${UNIQUE}12:`)).toBe(true);
    expect(plainString(plain).length).toBeGreaterThanOrEqual(10);
    expect(plainString(plain).length).toBeLessThanOrEqual(12);
  });

  it("keeps numbers inside minimum/maximum, exclusive bounds (3.0 and 3.1) and multipleOf", () => {
    expect(sample({ type: "integer", minimum: 5, maximum: 9 })).toBe(5);
    expect(sample({ type: "integer", maximum: 0 })).toBe(0);
    expect(sample({ type: "integer", minimum: 5, exclusiveMinimum: true })).toBe(6);
    expect(sample({ type: "integer", exclusiveMinimum: 10 })).toBe(11);
    expect(sample({ type: "number", minimum: 1, multipleOf: 0.25 })).toBe(1);
    expect(sample({ type: "integer", minimum: 3, multipleOf: 5 })).toBe(5);
    expect(() => sample({ type: "integer", minimum: 10, maximum: 2 })).toThrow(Unsupported);
  });

  it("fills only the required fields of objects, leaving out readOnly ones, and honours minItems", () => {
    const value = sample({
      type: "object",
      required: ["name", "id", "tags"],
      properties: {
        id: { type: "string", readOnly: true },
        name: { type: "string", example: "Rex" },
        tags: { type: "array", minItems: 2, uniqueItems: true, items: { type: "string", enum: ["a"] } },
        age: { type: "integer" },
      },
    });
    expect(value).toEqual({ name: "Rex", tags: ["a", "a2"] });
  });

  it("follows $refs, merges allOf and picks the first usable oneOf/anyOf alternative", () => {
    const schemas = {
      Base: { type: "object", required: ["id"], properties: { id: { type: "integer", minimum: 3 } } },
      Named: { type: "object", required: ["name"], properties: { name: { type: "string", example: "n" } } },
    };
    expect(
      sample(
        { allOf: [{ $ref: "#/components/schemas/Base" }, { $ref: "#/components/schemas/Named" }] },
        schemas,
      ),
    ).toEqual({ id: 3, name: "n" });
    expect(sample({ oneOf: [{ type: "null" }, { $ref: "#/components/schemas/Base" }] }, schemas)).toEqual({
      id: 3,
    });
    expect(sample({ anyOf: [{ type: "string", pattern: "^\\d{9}-x$" }, { type: "boolean" }] })).toBe(true);
    // 3.1 type lists: the first non-null type
    expect(sample({ type: ["null", "integer"], minimum: 4 })).toBe(4);
  });

  it("stops at cyclic $refs: optional and array recursion end, required recursion is a clear skip", () => {
    const schemas = {
      Node: {
        type: "object",
        required: ["name", "children"],
        properties: {
          name: { type: "string", example: "root" },
          children: { type: "array", items: { $ref: "#/components/schemas/Node" } },
          parent: { $ref: "#/components/schemas/Node" },
        },
      },
      Loop: {
        type: "object",
        required: ["next"],
        properties: { next: { $ref: "#/components/schemas/Loop" } },
      },
      Either: { oneOf: [{ $ref: "#/components/schemas/Either" }, { type: "string", example: "leaf" }] },
    };
    expect(sample({ $ref: "#/components/schemas/Node" }, schemas)).toEqual({ name: "root", children: [] });
    expect(sample({ $ref: "#/components/schemas/Either" }, schemas)).toBe("leaf");
    expect(() => sample({ $ref: "#/components/schemas/Loop" }, schemas)).toThrow(
      'a required recursive $ref "#/components/schemas/Loop"',
    );
  });

  it("names what it cannot build: external refs, dangling refs, impossible patterns", () => {
    expect(() => sample({ $ref: "other.json#/Pet" })).toThrow(
      'external $ref "other.json#/Pet" is not supported',
    );
    expect(() => sample({ $ref: "#/components/schemas/Missing" })).toThrow("points at nothing");
    expect(() => sample({ type: "string", pattern: "^[0-9]{4}-Q[1-4]$" })).toThrow(
      /no example matches the pattern/,
    );
    expect(() => sample(false)).toThrow(Unsupported);
  });
});

describe("invalidBody", () => {
  const d = doc({
    Pet: {
      type: "object",
      required: ["name"],
      properties: { name: { type: "string" }, age: { type: "integer" } },
    },
  });

  it("drops the first required field", () => {
    const bad = invalidBody(d, { $ref: "#/components/schemas/Pet" });
    expect(bad).toEqual({ value: {}, why: 'without the required field "name"' });
  });

  it("gives a property the wrong type when nothing is required", () => {
    const bad = invalidBody(d, { type: "object", properties: { age: { type: "integer" } } });
    expect(bad).toEqual({ value: { age: "not-a-number" }, why: 'with "age" a string instead of an integer' });
  });

  it("has nothing to offer for a body that is not an object", () => {
    expect(invalidBody(d, { type: "string" })).toBeNull();
  });
});
