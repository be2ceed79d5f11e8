import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATED_PATH, sdkContractSource } from "../../../scripts/contract/sdk-types.ts";

describe("the SDK's API types", () => {
  it("are the ones generated from the server's contract (run `npm run contract:sdk` when this fails)", () => {
    expect(readFileSync(GENERATED_PATH, "utf8")).toBe(sdkContractSource());
  });
});
