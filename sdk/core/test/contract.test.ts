import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { toTypeScript } from "../../../scripts/contract/json-schema-to-ts.ts";
import { GENERATED_PATH, sdkContractSource } from "../../../scripts/contract/sdk-types.ts";

describe("the SDK's API types", () => {
  it("are the ones generated from the server's contract (run `npm run contract:sdk` when this fails)", () => {
    expect(readFileSync(GENERATED_PATH, "utf8")).toBe(sdkContractSource());
  });
});

describe("the JSON Schema → TypeScript printer", () => {
  it("parenthesises a union only where its bar stands outside every bracket", () => {
    const record = { type: "object", additionalProperties: { type: ["string", "number"] } };
    expect(toTypeScript({ type: "array", items: record })).toBe("Record<string, string | number>[]");
    expect(toTypeScript({ type: "array", items: { type: ["string", "null"] } })).toBe("(string | null)[]");
    expect(toTypeScript({ anyOf: [record, { type: "null" }] })).toBe(
      "Record<string, string | number> | null",
    );
  });
});
