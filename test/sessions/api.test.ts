import { describe, expect, it } from "vitest";
import { api, newTenant, problem } from "../helpers.ts";
import { keyWith } from "../support/keys.ts";
import {
  connect,
  type Frame,
  mirroredEvents,
  newSession,
  postEvent,
  postRoomToken,
  roomToken,
} from "./room-client.ts";

describe("sessions API", () => {
  it("creates, reads, lists, updates and ends a session", async () => {
    const t = await newTenant();
    const s = await newSession(t, { url: "https://shop.example/checkout" });
    expect(s).toMatchObject({
      id: expect.stringMatching(/^ses_[0-9a-z]{26}$/),
      projectId: t.projectId,
      title: "Checkout exploration",
      charter: "Explore checkout with expired cards",
      environment: "staging",
      timeboxMinutes: 45,
      url: "https://shop.example/checkout",
      status: "active",
      endedAt: null,
      lastSeq: 0,
    });
    const got = await api(`/v1/sessions/${s.id}`, { token: t.token });
    expect(await got.json()).toEqual(s);

    const patched = await api(`/v1/sessions/${s.id}`, {
      method: "PATCH",
      token: t.apiKey,
      json: { title: "Checkout, round 2", timeboxMinutes: 60 },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      title: "Checkout, round 2",
      timeboxMinutes: 60,
      charter: s.charter,
    });

    const second = await newSession(t, { title: "Search" });
    const list = (await (
      await api(`/v1/projects/${t.projectId}/sessions?limit=1`, { token: t.apiKey })
    ).json()) as {
      items: Frame[];
      nextCursor: string | null;
    };
    expect(list.items.map((x) => x.id)).toEqual([second.id]);
    expect(list.nextCursor).toBe(second.id);
    const page2 = (await (
      await api(`/v1/projects/${t.projectId}/sessions?limit=1&cursor=${list.nextCursor}`, { token: t.apiKey })
    ).json()) as { items: Frame[]; nextCursor: string | null };
    expect(page2.items.map((x) => x.id)).toEqual([s.id]);

    const ended = await api(`/v1/sessions/${s.id}/end`, { method: "POST", token: t.apiKey });
    expect(ended.status).toBe(200);
    const endedBody = await ended.json();
    expect(endedBody).toMatchObject({ status: "ended", endedAt: expect.any(Number) });

    const active = (await (await api(`/v1/sessions?status=active`, { token: t.apiKey })).json()) as {
      items: Frame[];
    };
    expect(active.items.map((x) => x.id)).toEqual([second.id]);
    const endedList = (await (
      await api(`/v1/projects/${t.projectId}/sessions?status=ended`, { token: t.apiKey })
    ).json()) as {
      items: Frame[];
    };
    expect(endedList.items.map((x) => x.id)).toEqual([s.id]);

    // An ended session refuses changes, new events and new tokens.
    const again = await api(`/v1/sessions/${s.id}/end`, { method: "POST", token: t.apiKey });
    expect(again.status).toBe(409);
    const patchEnded = await api(`/v1/sessions/${s.id}`, {
      method: "PATCH",
      token: t.apiKey,
      json: { title: "x" },
    });
    expect(patchEnded.status).toBe(409);
    const post = await postEvent(t.apiKey, s.id, { type: "note", text: "late" });
    expect(post.status).toBe(409);
    const tok = await postRoomToken(t.apiKey, s.id);
    expect(tok.status).toBe(409);
    await problem(tok);
  });

  it.each([
    [{}, "title"],
    [{ title: "", charter: "c", environment: "e", timeboxMinutes: 5 }, "title"],
    [{ title: "t", charter: "c", environment: "e", timeboxMinutes: 0 }, "timeboxMinutes"],
    [{ title: "t", charter: "c", environment: "e", timeboxMinutes: 5, url: "javascript:alert(1)" }, "url"],
    [{ title: "t", charter: "c", environment: "e", timeboxMinutes: 5, status: "ended" }, "(root)"],
  ])("rejects an invalid session body %j", async (json, path) => {
    const t = await newTenant();
    const res = await api(`/v1/projects/${t.projectId}/sessions`, { method: "POST", token: t.apiKey, json });
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.errors?.map((e) => e.path)).toContain(path);
  });

  it("validates ids, query and PATCH bodies as 4xx problems", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    expect((await api(`/v1/sessions/nope`, { token: t.apiKey })).status).toBe(400);
    expect((await api(`/v1/sessions/ses_00000000000000000000000000`, { token: t.apiKey })).status).toBe(404);
    expect((await api(`/v1/sessions?status=paused`, { token: t.apiKey })).status).toBe(400);
    expect((await api(`/v1/sessions/${s.id}/events?since=-1`, { token: t.apiKey })).status).toBe(400);
    const empty = await api(`/v1/sessions/${s.id}`, { method: "PATCH", token: t.apiKey, json: {} });
    expect(empty.status).toBe(400);
    await problem(empty);
    const notJson = await api(`/v1/sessions/${s.id}/events`, {
      method: "POST",
      token: t.apiKey,
      body: "type=note",
      headers: { "content-type": "text/plain" },
    });
    expect(notJson.status).toBe(415);
    const badEvent = await postEvent(t.apiKey, s.id, { type: "shout" });
    expect(badEvent.status).toBe(400);
    const unknownStep = await postEvent(t.apiKey, s.id, {
      type: "finding",
      severity: "minor",
      title: "x",
      stepSeqs: [7],
    });
    expect(unknownStep.status).toBe(422);
    await problem(unknownStep);
  });

  it("POST events goes through the room: live clients see it, seq is shared with WebSocket messages", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const live = await connect((await roomToken(t.token, s.id)).url);
    live.send({ type: "step", action: "click", target: "#pay" });
    await live.nextEvent();
    const res = await postEvent(t.apiKey, s.id, {
      type: "finding",
      severity: "critical",
      title: "Double charge",
      description: "Two payments",
      stepSeqs: [1],
    });
    expect(res.status).toBe(201);
    const stored = (await res.json()) as Frame;
    expect(stored).toMatchObject({
      type: "event",
      seq: 2,
      kind: "finding",
      data: { severity: "critical", stepSeqs: [1] },
    });
    expect(await live.nextEvent()).toEqual(stored);
    // The HTTP path waits for the mirror: the timeline is readable at once.
    const timeline = (await (await api(`/v1/sessions/${s.id}/events`, { token: t.apiKey })).json()) as {
      items: Frame[];
    };
    expect(timeline.items.map((e) => e.seq)).toEqual([1, 2]);
    live.close();
  });

  it("lists participants with their role and who is online", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const live = await connect((await roomToken(t.token, s.id)).url);
    live.send({ type: "presence", focus: "cart" });
    await live.next((f) => f.type === "presence" && f.participants[0]?.focus === "cart");
    await postEvent(t.apiKey, s.id, { type: "chat", text: "hi" });
    const res = await api(`/v1/sessions/${s.id}/participants`, { token: t.apiKey });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Frame[] };
    expect(items).toHaveLength(2);
    expect(items.find((p) => p.id === t.userId)).toMatchObject({
      role: "tester",
      online: true,
      focus: "cart",
      name: "Acme Owner",
    });
    expect(items.find((p) => p.id !== t.userId)).toMatchObject({ role: "host", online: false, focus: null });
    live.close();
  });

  it("mints a room token bound to the session", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const tok = await roomToken(t.token, s.id);
    expect(tok.url).toBe(`/v1/sessions/${s.id}/live?token=${encodeURIComponent(tok.token)}`);
    expect(tok.expiresAt - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(tok.expiresAt - Date.now()).toBeLessThanOrEqual(5 * 60_000 + 1000);
    expect(tok.role).toBe("tester");
    const bad = await postRoomToken(t.token, s.id, { json: { role: "host" } });
    expect(bad.status).toBe(400);
    expect((await problem(bad)).errors?.[0]?.path).toBe("role");
    // An empty body sent with a JSON content type (what fetch wrappers do) is fine.
    const empty = await postRoomToken(t.token, s.id, { headers: { "content-type": "application/json" } });
    expect(empty.status).toBe(201);
    const garbage = await postRoomToken(t.token, s.id, {
      body: "{",
      headers: { "content-type": "application/json" },
    });
    expect(garbage.status).toBe(400);
  });
});

describe("sessions security", () => {
  it("another tenant's session is a 404 everywhere", async () => {
    const owner = await newTenant();
    const intruder = await newTenant("Intruder");
    const s = await newSession(owner);
    const paths: [string, string, unknown?][] = [
      ["GET", `/v1/sessions/${s.id}`],
      ["PATCH", `/v1/sessions/${s.id}`, { title: "mine now" }],
      ["POST", `/v1/sessions/${s.id}/end`],
      ["GET", `/v1/sessions/${s.id}/events`],
      ["POST", `/v1/sessions/${s.id}/events`, { type: "note", text: "hi" }],
      ["GET", `/v1/sessions/${s.id}/participants`],
      ["POST", `/v1/sessions/${s.id}/token`],
      ["GET", `/v1/sessions/${s.id}/export?format=md`],
      ["GET", `/v1/projects/${owner.projectId}/sessions`],
      [
        "POST",
        `/v1/projects/${owner.projectId}/sessions`,
        { title: "t", charter: "c", environment: "e", timeboxMinutes: 5 },
      ],
    ];
    for (const [method, path, json] of paths) {
      const res = await api(path, { method, token: intruder.apiKey, ...(json ? { json } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      await problem(res);
    }
    const list = (await (await api(`/v1/sessions`, { token: intruder.apiKey })).json()) as { items: Frame[] };
    expect(list.items).toEqual([]);
    // Nothing changed for the owner.
    expect(await (await api(`/v1/sessions/${s.id}`, { token: owner.apiKey })).json()).toMatchObject({
      title: "Checkout exploration",
      status: "active",
    });
  });

  it("needs sessions:read to read and sessions:write to write", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const reader = await keyWith(t, ["sessions:read"]);
    const nobody = await keyWith(t, ["projects:read"]);
    expect((await api(`/v1/sessions/${s.id}`, { token: nobody })).status).toBe(403);
    expect((await api(`/v1/sessions`, { token: nobody })).status).toBe(403);
    expect((await postRoomToken(nobody, s.id)).status).toBe(403);
    expect((await api(`/v1/sessions/${s.id}`, { token: reader })).status).toBe(200);
    const create = await api(`/v1/projects/${t.projectId}/sessions`, {
      method: "POST",
      token: reader,
      json: { title: "t", charter: "c", environment: "e", timeboxMinutes: 5 },
    });
    expect(create.status).toBe(403);
    await problem(create);
    expect((await api(`/v1/sessions/${s.id}/end`, { method: "POST", token: reader })).status).toBe(403);
    // A reader joins as an observer: chat yes, findings no.
    const tok = await roomToken(reader, s.id);
    expect(tok.role).toBe("observer");
    const chat = await postEvent(reader, s.id, { type: "chat", text: "hi" });
    expect(chat.status).toBe(201);
    const finding = await postEvent(reader, s.id, { type: "finding", severity: "minor", title: "x" });
    expect(finding.status).toBe(403);
    await mirroredEvents(t, s.id, 1);
  });

  it("requires credentials", async () => {
    const res = await api(`/v1/sessions`);
    expect(res.status).toBe(401);
    await problem(res);
  });
});
