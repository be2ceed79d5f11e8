import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, newTenant, type Tenant } from "../helpers.ts";
import { type Frame, RoomClient } from "../sessions/room-client.ts";
import { createExperiment, hotLead, leadByExternal, postLeads, waitFor } from "./helpers.ts";

async function viewer(t: Tenant): Promise<RoomClient> {
  const res = await api("/v1/pipeline/board/token", { method: "POST", token: t.apiKey });
  expect(res.status).toBe(201);
  const { url } = (await res.json()) as { url: string };
  const upgraded = await exports.default.fetch(
    new Request(`http://shifty.test${url}`, { headers: { upgrade: "websocket" } }),
  );
  expect(upgraded.status).toBe(101);
  const client = new RoomClient(upgraded.webSocket!);
  await client.next((f) => f.type === "hello");
  return client;
}

const moved = (externalId: string, status: string) => (f: Frame) =>
  f.type === "frames" &&
  f.frames.some(
    (x: Frame) => x.type === "lead" && x.card.externalId === externalId && x.card.status === status,
  );

describe("live board", () => {
  it("two viewers of one org see the same card move; another org's viewer sees nothing", async () => {
    const t = await newTenant();
    const other = await newTenant("Other");
    const [a, b, stranger] = await Promise.all([viewer(t), viewer(t), viewer(other)]);
    const lead = hotLead();
    await postLeads(t, [lead]);
    // No experiment: the lead stops at scored; both viewers see raw → scored.
    const [fa, fb] = await Promise.all([
      a.next(moved(lead.externalId, "scored"), 10_000),
      b.next(moved(lead.externalId, "scored"), 10_000),
    ]);
    expect(fa).toEqual(fb);
    const row = await waitFor(
      () => leadByExternal(t, lead.externalId),
      (l) => l?.status === "scored",
    );
    // An override reaches the board at once.
    await createExperiment(t);
    const forced = await api(`/v1/leads/${row!.id}/outreach`, { method: "POST", token: t.apiKey, json: {} });
    expect(forced.status).toBe(200);
    const frame = await a.next(moved(lead.externalId, "contacted"));
    expect(frame.frames[0]).toMatchObject({ from: "scored", card: { status: "contacted" } });
    await b.next(moved(lead.externalId, "contacted"));
    expect(stranger.frames.filter((f) => f.type === "frames")).toEqual([]);

    const snapshot = (await (await api("/v1/pipeline/board", { token: t.apiKey })).json()) as {
      counts: Record<string, number>;
      cards: { externalId: string }[];
    };
    expect(snapshot.counts).toMatchObject({ raw: 0, scored: 0, contacted: 1 });
    expect(snapshot.cards.map((c) => c.externalId)).toEqual([lead.externalId]);
    for (const c of [a, b, stranger]) c.ws.close(1000, "done");
  });

  it("refuses a missing, forged or non-board token", async () => {
    const t = await newTenant();
    const live = (q: string) =>
      exports.default.fetch(
        new Request(`http://shifty.test/v1/pipeline/board/live${q}`, { headers: { upgrade: "websocket" } }),
      );
    expect((await live("")).status).toBe(400);
    expect((await live("?token=nope")).status).toBe(401);
    expect((await live(`?token=${t.token}`)).status).toBe(401); // a session token is not a board token
  });
});
