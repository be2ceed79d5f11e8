import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SessionRoom } from "../../durable-objects/session-room.ts";
import { MESSAGE_BURST } from "../../shared/contract/room.ts";
import { api, newTenant, problem } from "../helpers.ts";
import {
  connect,
  mirroredEvents,
  newSession,
  postEvent,
  postRoomToken,
  type RoomClient,
  roomToken,
  upgrade,
} from "./room-client.ts";

const stubOf = (sessionId: string) => env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(sessionId));

describe("live room protocol", () => {
  it("broadcasts every event to all participants, sender included, with monotonic seq", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const a = await connect((await roomToken(t.token, s.id)).url);
    const b = await connect((await roomToken(t.apiKey, s.id)).url);

    a.send({ type: "note", text: "checkout button overlaps footer" });
    const ea = await a.nextEvent();
    const eb = await b.nextEvent();
    expect(ea).toEqual(eb);
    expect(ea).toMatchObject({
      type: "event",
      seq: 1,
      kind: "note",
      data: { text: "checkout button overlaps footer" },
    });
    expect(ea.actor).toEqual({ id: t.userId, name: "Acme Owner" });
    expect(typeof ea.at).toBe("number");

    // Interleaved senders: both clients see the same total order, without gaps.
    for (let i = 0; i < 10; i++) {
      (i % 2 ? a : b).send({ type: "chat", text: `m${i}` });
    }
    const seqA: number[] = [];
    const seqB: number[] = [];
    for (let i = 0; i < 10; i++) seqA.push((await a.nextEvent()).seq);
    for (let i = 0; i < 10; i++) seqB.push((await b.nextEvent()).seq);
    expect(seqA).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(seqB).toEqual(seqA);
    a.close();
    b.close();
  });

  it("sends presence on join, focus change and leave", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const a = await connect((await roomToken(t.token, s.id)).url);
    const p1 = await a.next((f) => f.type === "presence");
    // The session was created with the API key: the key hosts, the user (sessions:write) tests.
    expect(p1.participants).toEqual([{ id: t.userId, name: "Acme Owner", role: "tester" }]);
    const b = await connect((await roomToken(t.apiKey, s.id)).url);
    const p2 = await a.next((f) => f.type === "presence" && f.participants.length === 2);
    expect(p2.participants.map((p: { role: string }) => p.role).sort()).toEqual(["host", "tester"]);
    b.send({ type: "presence", focus: "checkout form" });
    const p3 = await a.next(
      (f) => f.type === "presence" && f.participants.some((p: { focus?: string }) => p.focus),
    );
    expect(p3.participants.find((p: { focus?: string }) => p.focus)).toMatchObject({
      focus: "checkout form",
    });
    b.close();
    const p4 = await a.next((f) => f.type === "presence" && f.participants.length === 1);
    expect(p4.participants[0].id).toBe(t.userId);
    a.close();
  });

  it("replays every event after `since`, in order, on reconnect", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const a = await connect((await roomToken(t.token, s.id)).url);
    for (let i = 1; i <= 5; i++) a.send({ type: "note", text: `n${i}` });
    for (let i = 1; i <= 5; i++) await a.nextEvent();
    a.close();
    // Missed while away (HTTP path goes through the same room).
    for (let i = 6; i <= 7; i++) {
      const res = await postEvent(t.apiKey, s.id, { type: "note", text: `n${i}` });
      expect(res.status).toBe(201);
    }
    const { url } = await roomToken(t.token, s.id);
    const back = await connect(`${url}&since=3`);
    const replayed = [];
    for (let i = 0; i < 4; i++) replayed.push(await back.nextEvent());
    expect(replayed.map((e) => e.seq)).toEqual([4, 5, 6, 7]);
    expect(replayed.map((e) => e.data.text)).toEqual(["n4", "n5", "n6", "n7"]);
    back.send({ type: "note", text: "n8" });
    expect((await back.nextEvent()).seq).toBe(8);
    back.close();
  });

  it("keeps the log and seq across eviction, and hibernated sockets keep working", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const a = await connect((await roomToken(t.token, s.id)).url);
    a.send({ type: "step", action: "click", target: "#buy" });
    a.send({ type: "note", text: "spinner never stops" });
    await a.nextEvent();
    await a.nextEvent();
    const stub = stubOf(s.id);
    await evictDurableObject(stub);
    // The socket survives eviction (hibernated); the woken room continues the same seq.
    a.send({ type: "chat", text: "still here?" });
    const e3 = await a.nextEvent();
    expect(e3).toMatchObject({ seq: 3, kind: "chat", actor: { id: t.userId } });
    const state = await runInDurableObject(stub, (room: SessionRoom) => room.state());
    expect(state.lastSeq).toBe(3);
    const rows = await runInDurableObject(stub, (_room: SessionRoom, ctx) =>
      ctx.storage.sql
        .exec<{ seq: number; kind: string }>("SELECT seq, kind FROM events ORDER BY seq")
        .toArray(),
    );
    expect(rows.map((r) => r.kind)).toEqual(["step", "note", "chat"]);
    // Presence after wake is rebuilt from socket attachments.
    a.send({ type: "presence", focus: "cart" });
    const p = await a.next((f) => f.type === "presence" && f.participants[0]?.focus === "cart");
    expect(p.participants[0]).toMatchObject({ id: t.userId, role: "tester" });
    await evictDurableObject(stub, { webSockets: "close" });
    await a.waitClosed();
    const b = await connect(`${(await roomToken(t.token, s.id)).url}&since=0`);
    const all = [await b.nextEvent(), await b.nextEvent(), await b.nextEvent()];
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
    b.close();
  });

  it("mirrors events and findings into D1", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const a = await connect((await roomToken(t.token, s.id)).url);
    a.send({
      type: "step",
      action: "fill",
      target: { tag: "input", attributes: { name: "card" } },
      value: "4000",
    });
    const step = await a.nextEvent();
    a.send({
      type: "finding",
      severity: "major",
      title: "Declined card shows no error",
      stepSeqs: [step.seq],
    });
    const finding = await a.nextEvent();
    expect(finding.data.findingId).toMatch(/^fnd_[0-9a-z]{26}$/);
    expect(finding.data.stepSeqs).toEqual([1]);
    const mirrored = await mirroredEvents(t, s.id, 2);
    expect(mirrored.items).toEqual([step, finding]);
    expect(mirrored.nextSince).toBe(2);
    const since1 = await (await api(`/v1/sessions/${s.id}/events?since=1`, { token: t.apiKey })).json();
    expect(since1).toEqual({ items: [finding], nextSince: 2 });
    const row = await env.DB.prepare("SELECT * FROM session_findings WHERE id = ?")
      .bind(finding.data.findingId)
      .first();
    expect(row).toMatchObject({ org_id: t.orgId, session_id: s.id, seq: 2, severity: "major" });
    const session = await (await api(`/v1/sessions/${s.id}`, { token: t.apiKey })).json();
    expect(session).toMatchObject({ lastSeq: 2 });
    a.close();
  });

  it("answers bad frames with error frames and keeps the connection open", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const a = await connect((await roomToken(t.token, s.id)).url);
    const cases: [unknown, string][] = [
      ["not json", "invalid_json"],
      [{ type: "explode" }, "validation_failed"],
      [{ type: "note" }, "validation_failed"],
      [{ type: "note", text: "x", extra: 1 }, "validation_failed"],
      [{ type: "finding", severity: "catastrophic", title: "x" }, "validation_failed"],
      [{ type: "answer", promptSeq: 99, text: "?" }, "unknown_prompt"],
      [{ type: "finding", severity: "minor", title: "x", stepSeqs: [42] }, "unknown_step"],
      [{ type: "note", text: "x".repeat(17 * 1024) }, "too_large"],
    ];
    for (const [frame, code] of cases) {
      a.send(frame);
      const err = await a.nextError();
      expect(err.code, JSON.stringify(frame).slice(0, 80)).toBe(code);
      expect(typeof err.message).toBe("string");
    }
    expect(a.closed).toBeNull();
    a.send({ type: "prompt", question: "Which card did you use?", toRole: "tester" });
    const prompt = await a.nextEvent();
    a.send({ type: "answer", promptSeq: prompt.seq, text: "4000 0000 0000 0002" });
    expect(await a.nextEvent()).toMatchObject({ seq: 2, kind: "answer", data: { promptSeq: 1 } });
    // Nothing invalid was stored.
    expect((await runInDurableObject(stubOf(s.id), (room: SessionRoom) => room.state())).lastSeq).toBe(2);
    a.close();
  });

  it("rate-limits a flooding connection with an error frame", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const a = await connect((await roomToken(t.token, s.id)).url);
    // Six times the burst: the bucket refills at 20 frames a second while the room works through
    // them, so even a room slowed to 25 frames a second by a loaded machine runs dry.
    for (let i = 0; i < 6 * MESSAGE_BURST; i++) a.send({ type: "chat", text: `flood ${i}` });
    const err = await a.nextError();
    expect(err.code).toBe("rate_limited");
    expect(a.closed).toBeNull();
    a.close();
  });

  it("observers may chat but not record steps or findings", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const tok = await roomToken(t.token, s.id, { role: "observer" });
    expect(tok.role).toBe("observer");
    const o = await connect(tok.url);
    o.send({ type: "step", action: "click" });
    expect((await o.nextError()).code).toBe("forbidden");
    o.send({ type: "chat", text: "looks good" });
    expect(await o.nextEvent()).toMatchObject({ kind: "chat", seq: 1 });
    o.close();
  });

  it("ending the session sends {type:ended} and closes every socket", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const a = await connect((await roomToken(t.token, s.id)).url);
    const b = await connect((await roomToken(t.apiKey, s.id)).url);
    const res = await api(`/v1/sessions/${s.id}/end`, { method: "POST", token: t.apiKey });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ended", endedAt: expect.any(Number) });
    for (const c of [a, b] as RoomClient[]) {
      await c.next((f) => f.type === "ended");
      expect((await c.waitClosed()).code).toBe(1000);
    }
  });
});

describe("live room authorisation", () => {
  async function refused(path: string) {
    const res = await upgrade(path);
    expect(res.status).toBe(101);
    const c = new (await import("./room-client.ts")).RoomClient(res.webSocket!);
    const err = await c.nextError();
    const closed = await c.waitClosed();
    return { err, closed };
  }

  it("refuses a missing, forged or foreign token with an error frame and 4401", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const other = await newSession(t);
    const { token } = await roomToken(t.token, other.id);
    for (const q of [
      "",
      "?token=nope",
      `?token=${token}`,
      `?token=${token.slice(0, -2)}xx`,
      `?token=${t.token}`,
    ]) {
      const { err, closed } = await refused(`/v1/sessions/${s.id}/live${q}`);
      expect(err.code).toBe("unauthenticated");
      expect(closed.code).toBe(4401);
    }
  });

  it("refuses an ended session (4410) and a bad since (4400)", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const { url } = await roomToken(t.token, s.id);
    const bad = await refused(`${url}&since=-1`);
    expect([bad.err.code, bad.closed.code]).toEqual(["bad_request", 4400]);
    await api(`/v1/sessions/${s.id}/end`, { method: "POST", token: t.apiKey });
    const ended = await refused(url);
    expect([ended.err.code, ended.closed.code]).toEqual(["session_ended", 4410]);
  });

  it("answers problem+json when the request is not a WebSocket upgrade", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const noToken = await api(`/v1/sessions/${s.id}/live`);
    expect(noToken.status).toBe(401);
    expect((await problem(noToken)).status).toBe(401);
    const unknown = await api(`/v1/sessions/not-a-session/live?token=x`);
    expect(unknown.status).toBe(404);
    const { url } = await roomToken(t.token, s.id);
    const plain = await api(url);
    expect(plain.status).toBe(400);
    await problem(plain);
  });

  it("a token cannot be minted for another tenant's session", async () => {
    const t = await newTenant();
    const intruder = await newTenant("Intruder");
    const s = await newSession(t);
    const res = await postRoomToken(intruder.apiKey, s.id);
    expect(res.status).toBe(404);
    await problem(res);
  });
});
