import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sniffImageType } from "../../shared/sessions/screenshots.ts";
import { api, newTenant, problem } from "../helpers.ts";
import { mintKey } from "../support/keys.ts";
import { connect, newSession, roomToken, uploadScreenshot } from "./room-client.ts";

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3,
]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 9, 9]);

describe("screenshots", () => {
  it("sniffs PNG and JPEG by magic bytes", () => {
    expect(sniffImageType(PNG)).toBe("image/png");
    expect(sniffImageType(JPEG)).toBe("image/jpeg");
    expect(sniffImageType(new TextEncoder().encode("GIF89a"))).toBeNull();
    expect(sniffImageType(PNG.slice(0, 4))).toBeNull();
  });

  it("stores a PNG in R2 under the org prefix, broadcasts a screenshot event and streams it back", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const live = await connect((await roomToken(t.token, s.id)).url);
    const res = await uploadScreenshot(s.id, t.apiKey, PNG, "image/png", "?caption=Overlapping%20footer");
    expect(res.status).toBe(201);
    const shot = (await res.json()) as {
      id: string;
      url: string;
      contentType: string;
      size: number;
      seq: number;
    };
    expect(shot).toMatchObject({
      id: expect.stringMatching(/^shot_[0-9a-z]{26}$/),
      url: `/v1/sessions/${s.id}/screenshots/${shot.id}`,
      contentType: "image/png",
      size: PNG.byteLength,
      seq: 1,
    });
    const event = await live.nextEvent();
    expect(event).toMatchObject({
      seq: 1,
      kind: "screenshot",
      data: {
        screenshotId: shot.id,
        url: shot.url,
        contentType: "image/png",
        size: PNG.byteLength,
        caption: "Overlapping footer",
      },
    });
    const listed = await env.ARTIFACTS.list({ prefix: `orgs/${t.orgId}/sessions/${s.id}/screenshots/` });
    expect(listed.objects.map((o) => o.key)).toEqual([
      `orgs/${t.orgId}/sessions/${s.id}/screenshots/${shot.id}.png`,
    ]);

    const got = await api(shot.url, { token: t.token });
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(PNG);
    live.close();
  });

  it("takes the type from the bytes, not the header", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const res = await uploadScreenshot(s.id, t.apiKey, JPEG, "application/octet-stream");
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ contentType: "image/jpeg" });
    const lying = await uploadScreenshot(
      s.id,
      t.apiKey,
      new TextEncoder().encode("<svg onload=alert(1)>"),
      "image/png",
    );
    expect(lying.status).toBe(415);
    await problem(lying);
    const wrongHeader = await uploadScreenshot(s.id, t.apiKey, PNG, "image/svg+xml");
    expect(wrongHeader.status).toBe(415);
    const empty = await uploadScreenshot(s.id, t.apiKey, new Uint8Array(), "image/png");
    expect(empty.status).toBe(400);
  });

  it("refuses bodies over 10 MiB with 413", async () => {
    const t = await newTenant();
    const s = await newSession(t);
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(PNG);
    const res = await uploadScreenshot(s.id, t.apiKey, big);
    expect(res.status).toBe(413);
    await problem(res);
  });

  it("another tenant can neither upload nor read; readers cannot upload", async () => {
    const t = await newTenant();
    const intruder = await newTenant("Intruder");
    const s = await newSession(t);
    const shot = (await (await uploadScreenshot(s.id, t.apiKey, PNG)).json()) as { url: string };
    expect((await uploadScreenshot(s.id, intruder.apiKey, PNG)).status).toBe(404);
    const read = await api(shot.url, { token: intruder.apiKey });
    expect(read.status).toBe(404);
    await problem(read);
    expect((await api(shot.url)).status).toBe(401);
    const reader = (await mintKey(t.token, ["sessions:read"], "r")).key;
    expect((await uploadScreenshot(s.id, reader, PNG)).status).toBe(403);
    expect((await api(shot.url, { token: reader })).status).toBe(200);
  });
});
