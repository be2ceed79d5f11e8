import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitHubClient } from "../src/github.ts";

/** A local fake of the GitHub REST endpoints the PR flow uses; it asserts each request's shape. */
type Seen = { method: string; path: string; auth: string | undefined; body: Record<string, unknown> | null };
const seen: Seen[] = [];
const server = createServer((req, res) => {
  let raw = "";
  req.on("data", (c) => {
    raw += c;
  });
  req.on("end", () => {
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    seen.push({ method: req.method!, path: req.url!, auth: req.headers.authorization, body });
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    };
    const route = `${req.method} ${req.url}`;
    if (req.headers.authorization !== "Bearer ghs_good") return send(401, { message: "Bad credentials" });
    if (route === "GET /repos/acme/shop") return send(200, { default_branch: "main" });
    if (route === "GET /repos/acme/shop/git/ref/heads/main") return send(200, { object: { sha: "c0ffee" } });
    if (route === "GET /repos/acme/shop/git/commits/c0ffee") return send(200, { tree: { sha: "tree0" } });
    if (route === "POST /repos/acme/shop/git/blobs") {
      expect(body).toMatchObject({ encoding: "utf-8" });
      return send(201, { sha: `blob${seen.filter((s) => s.path.endsWith("/blobs")).length}` });
    }
    if (route === "POST /repos/acme/shop/git/trees") return send(201, { sha: "tree1" });
    if (route === "POST /repos/acme/shop/git/commits") return send(201, { sha: "commit1" });
    if (route === "POST /repos/acme/shop/git/refs") return send(201, { ref: body?.ref });
    if (route === "POST /repos/acme/shop/pulls")
      return send(201, { number: 7, html_url: "https://github.test/acme/shop/pull/7" });
    return send(404, { message: "Not Found" });
  });
});
let apiUrl = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

describe("GitHub client for shifty heals --pr", () => {
  it("creates blobs, a tree, a commit, a branch and a pull request", async () => {
    seen.length = 0;
    const github = new GitHubClient({ token: "ghs_good", repository: "acme/shop", apiUrl });
    const pr = await github.openPullRequest({
      branch: "shifty/heals-1",
      title: "Shifty: update 2 healed locator(s)",
      body: "table",
      message: "test: update healed locators",
      files: [
        { path: "tests/a.spec.ts", content: "a" },
        { path: "tests/b.spec.ts", content: "b" },
      ],
    });
    expect(pr).toEqual({ number: 7, url: "https://github.test/acme/shop/pull/7", branch: "shifty/heals-1" });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      "GET /repos/acme/shop",
      "GET /repos/acme/shop/git/ref/heads/main",
      "GET /repos/acme/shop/git/commits/c0ffee",
      "POST /repos/acme/shop/git/blobs",
      "POST /repos/acme/shop/git/blobs",
      "POST /repos/acme/shop/git/trees",
      "POST /repos/acme/shop/git/commits",
      "POST /repos/acme/shop/git/refs",
      "POST /repos/acme/shop/pulls",
    ]);
    expect(seen[5]!.body).toEqual({
      base_tree: "tree0",
      tree: [
        { path: "tests/a.spec.ts", mode: "100644", type: "blob", sha: "blob1" },
        { path: "tests/b.spec.ts", mode: "100644", type: "blob", sha: "blob2" },
      ],
    });
    expect(seen[6]!.body).toEqual({
      message: "test: update healed locators",
      tree: "tree1",
      parents: ["c0ffee"],
    });
    expect(seen[7]!.body).toEqual({ ref: "refs/heads/shifty/heals-1", sha: "commit1" });
    expect(seen[8]!.body).toMatchObject({
      head: "shifty/heals-1",
      base: "main",
      title: "Shifty: update 2 healed locator(s)",
    });
  });

  it("explains a refused token", async () => {
    const github = new GitHubClient({ token: "nope", repository: "acme/shop", apiUrl });
    await expect(github.defaultBranch()).rejects.toThrow(/401 Bad credentials \(check GITHUB_TOKEN\)/);
    expect(() => new GitHubClient({ token: "x", repository: "not a repo" })).toThrow(/owner\/name/);
  });
});
