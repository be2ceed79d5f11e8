import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFix, insideRoot, main } from "../src/index.ts";

const spec = `test("x", async ({ page }) => {\n  await page.locator("#old").click();\n});\n`;

function heal(location: string) {
  return {
    status: "accepted",
    location,
    originalSelector: "locator('#old')",
    healedSelector: "#new",
  } as unknown as Parameters<typeof buildFix>[1][number];
}

describe("heals --fix stays inside the repository root", () => {
  it("refuses server-supplied locations that climb out, are absolute, or symlink out", () => {
    const base = mkdtempSync(join(tmpdir(), "shifty-guard-"));
    const root = join(base, "repo");
    mkdirSync(join(root, "tests"), { recursive: true });
    writeFileSync(join(root, "tests", "a.spec.ts"), spec);
    writeFileSync(join(base, "outside.spec.ts"), spec);
    symlinkSync(join(base, "outside.spec.ts"), join(root, "tests", "link.spec.ts"));

    const { files, outcomes } = buildFix(root, [
      heal("tests/a.spec.ts:2:14"),
      heal("../outside.spec.ts:2:14"),
      heal(`${join(base, "outside.spec.ts")}:2:14`),
      heal("tests/link.spec.ts:2:14"),
    ]);
    expect(files.map((f) => f.path)).toEqual(["tests/a.spec.ts"]);
    const refused = outcomes.filter((o) => !o.outcome.applied).map((o) => o.file);
    expect(refused).toEqual(["../outside.spec.ts", join(base, "outside.spec.ts"), "tests/link.spec.ts"]);
    for (const o of outcomes.filter((x) => !x.outcome.applied)) {
      expect(o.outcome.reason).toBe("outside the repository root; refused");
    }
    // Nothing outside was touched.
    expect(readFileSync(join(base, "outside.spec.ts"), "utf8")).toBe(spec);
  });

  it("insideRoot is lexical and symlink-aware", () => {
    const root = mkdtempSync(join(tmpdir(), "shifty-root-"));
    expect(insideRoot(root, join(root, "a", "b.ts"))).toBe(true);
    expect(insideRoot(root, join(root, "..", "x.ts"))).toBe(false);
    expect(insideRoot(root, root)).toBe(false);
    expect(insideRoot(root, join(root, "..", `${root.split("/").pop()}-evil`, "x.ts"))).toBe(false);
  });
});

describe("CLI guardrails: --yes for writes, secrets masked in output", () => {
  const key = "shf_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  function run(
    argv: string[],
    extra: { confirm?: (q: string) => Promise<boolean>; responses?: Response[] } = {},
  ) {
    const cwd = mkdtempSync(join(tmpdir(), "shifty-yes-"));
    mkdirSync(join(cwd, "tests"));
    writeFileSync(join(cwd, "tests", "a.spec.ts"), spec);
    const out = { stdout: "", stderr: "", asked: [] as string[] };
    const healed = {
      id: "hlc_1",
      status: "accepted",
      confidence: 0.9,
      location: "tests/a.spec.ts:2:14",
      originalSelector: "#old",
      healedSelector: "#new",
      healedLocator: null,
      testTitle: "x",
      occurrences: 1,
    };
    const responses = extra.responses ?? [Response.json({ items: [healed], nextCursor: null })];
    const io = {
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
      env: { SHIFTY_URL: "http://shifty.test", SHIFTY_API_KEY: key, SHIFTY_PROJECT_ID: "prj_1" },
      cwd,
      fetch: (async () => responses.shift() ?? Response.json({}, { status: 500 })) as typeof fetch,
      confirm: extra.confirm
        ? async (q: string) => {
            out.asked.push(q);
            return extra.confirm!(q);
          }
        : undefined,
    };
    return { done: main(argv, io), out, file: () => readFileSync(join(cwd, "tests", "a.spec.ts"), "utf8") };
  }

  it("heals --fix --apply without a terminal needs --yes, and writes nothing without it", async () => {
    const refused = run(["heals", "--status", "accepted", "--fix", "--apply"]);
    expect(await refused.done).toBe(2);
    expect(refused.out.stderr).toContain("pass --yes to confirm");
    expect(refused.file()).toBe(spec);

    const confirmed = run(["heals", "--status", "accepted", "--fix", "--apply", "--yes"]);
    expect(await confirmed.done).toBe(0);
    expect(confirmed.file()).toContain('"#new"');
  });

  it("asks on the terminal, and a no leaves the files alone", async () => {
    const no = run(["heals", "--status", "accepted", "--fix", "--apply"], { confirm: async () => false });
    expect(await no.done).toBe(2);
    expect(no.out.asked[0]).toMatch(/this will rewrite 1 file\(s\) under .* Continue\?/);
    expect(no.file()).toBe(spec);
    const yes = run(["heals", "--status", "accepted", "--fix", "--apply"], { confirm: async () => true });
    expect(await yes.done).toBe(0);
    expect(yes.file()).toContain('"#new"');
  });

  it("masks the API key and token-shaped values in everything it prints", async () => {
    const leaky = Response.json(
      {
        type: "about:blank",
        title: "Bad",
        status: 400,
        detail: `key ${key} and ghp_0123456789abcdef rejected`,
      },
      { status: 400, headers: { "content-type": "application/problem+json" } },
    );
    const t = run(["heals"], { responses: [leaky] });
    expect(await t.done).toBe(1);
    expect(t.out.stderr).toContain("***");
    expect(t.out.stderr).not.toContain(key);
    expect(t.out.stderr).not.toContain("ghp_0123456789abcdef");
  });
});
