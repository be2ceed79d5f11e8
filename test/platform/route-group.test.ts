import { OpenAPIHono, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { HonoEnv } from "../../workers/hono-env.ts";
import { jsonContent } from "../../workers/openapi.ts";
import { routeGroup } from "../../workers/route.ts";

// `answer` sends the handler's return with the route's one success status (docs/architecture.md, "Route
// properties"); a route it cannot answer that way, or a handler added too late, fails at start-up.
describe("routeGroup refuses at start-up what it could not serve", () => {
  const ok = z.object({ ok: z.boolean() });

  it("answer needs one success status, and a JSON body unless it is 204", () => {
    const group = routeGroup({ tags: ["Test"], permission: "projects:read" });
    const two = group.post("/two", {
      summary: "Two success statuses",
      responses: { 200: jsonContent(ok, "Existed"), 201: jsonContent(ok, "Created") },
    });
    expect(() =>
      group.answer(two, async function twoHandler() {
        return { ok: true };
      }),
    ).toThrow(/post \/two: answer needs one success status/);
    const text = group.get("/text", {
      summary: "Not JSON",
      responses: { 200: { description: "Text", content: { "text/plain": { schema: z.string() } } } },
    });
    expect(() => group.answer(text, async function textHandler() {})).toThrow(/get \/text: answer needs/);
    const gone = group.delete("/gone", { summary: "No body", responses: { 204: { description: "Gone" } } });
    expect(() => group.answer(gone, async function goneHandler() {})).not.toThrow();
  });

  it("a public operation cannot require a permission (nothing would check it); the group's own is not applied", () => {
    const group = routeGroup({ tags: ["Test"], permission: "projects:read" });
    const open = group.get("/open", {
      summary: "Public",
      access: "public",
      responses: { 200: jsonContent(ok, "Answer") },
    });
    expect((open as Record<string, unknown>)["x-shifty-permissions"]).toEqual([]);
    expect(() =>
      group.get("/contradiction", {
        summary: "Public with a permission",
        access: "public",
        permission: "projects:write",
        responses: { 200: jsonContent(ok, "Answer") },
      }),
    ).toThrow(/GET \/contradiction: a public operation cannot require projects:write/);
  });

  it("a handler added after register is refused instead of never being mounted", () => {
    const group = routeGroup({ tags: ["Test"], permission: "projects:read" });
    const late = group.get("/late", { summary: "Late", responses: { 200: jsonContent(ok, "Answer") } });
    group.register(new OpenAPIHono<HonoEnv>());
    expect(() =>
      group.answer(late, async function lateHandler() {
        return { ok: true };
      }),
    ).toThrow(/already registered; cannot add lateHandler/);
  });
});
