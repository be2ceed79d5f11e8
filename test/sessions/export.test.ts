import { describe, expect, it } from "vitest";
import { api, newTenant } from "../helpers.ts";
import { type Frame, newSession, postEvent, uploadScreenshot } from "./room-client.ts";

describe("session export", () => {
  it("exports JSON and Markdown with findings, timeline and screenshots", async () => {
    const t = await newTenant();
    const s = await newSession(t, { title: "Checkout *bold* <b>", url: "https://shop.example/" });
    const post = async (json: unknown) => (await (await postEvent(t.apiKey, s.id, json)).json()) as Frame;
    await post({ type: "step", action: "fill", target: "input[name=card]", value: "4000" });
    await post({ type: "note", text: "no inline validation" });
    const prompt = await post({ type: "prompt", question: "Which browser?" });
    await post({ type: "answer", promptSeq: prompt.seq, text: "Firefox" });
    await post({ type: "finding", severity: "critical", title: "Card accepted twice", stepSeqs: [1] });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7]);
    await uploadScreenshot(s.id, t.apiKey, png);

    const json = await api(`/v1/sessions/${s.id}/export?format=json`, { token: t.apiKey });
    expect(json.status).toBe(200);
    expect(json.headers.get("content-disposition")).toBe(`attachment; filename="${s.id}.json"`);
    const body = (await json.json()) as Frame;
    expect(body.format).toBe("shifty.session.v1");
    expect(body.session).toMatchObject({ id: s.id, lastSeq: 6, status: "active" });
    expect(body.events.map((e: Frame) => e.kind)).toEqual([
      "step",
      "note",
      "prompt",
      "answer",
      "finding",
      "screenshot",
    ]);
    expect(body.findings).toEqual([
      expect.objectContaining({
        severity: "critical",
        title: "Card accepted twice",
        stepSeqs: [1],
        seq: 5,
        jira: null,
      }),
    ]);
    expect(body.screenshots[0].url).toMatch(new RegExp(`/v1/sessions/${s.id}/screenshots/shot_`));
    expect(body.participants).toEqual([expect.objectContaining({ role: "host" })]);

    const md = await api(`/v1/sessions/${s.id}/export?format=md`, { token: t.apiKey });
    expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const text = await md.text();
    expect(text).toContain("# Checkout \\*bold\\* \\<b\\>");
    expect(text).toContain("### [critical] Card accepted twice");
    expect(text).toContain('step: fill input\\[name=card\\] with "4000"');
    expect(text).toContain("answers #3: Firefox");
    expect(text).toContain("## Screenshots");

    expect((await api(`/v1/sessions/${s.id}/export?format=pdf`, { token: t.apiKey })).status).toBe(400);
  });
});
