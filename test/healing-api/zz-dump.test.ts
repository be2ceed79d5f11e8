import { it } from "vitest";
import { api } from "../helpers.ts";
it("dump", async () => {
  const doc = await (await api("/openapi.json")).json();
  console.log("OPENAPI_DUMP" + JSON.stringify(doc));
});
