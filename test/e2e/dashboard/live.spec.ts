import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { apiAs, currentProjectId, go, newAccount, signUp } from "./helpers.ts";

const fixture = (name: string) => readFile(new URL(`../../fixtures/ci/${name}`, import.meta.url), "utf8");

test("a run uploaded while the CI screen is open appears without a reload within 2 s; unchanged polls are 304", async ({
  page,
  request,
}) => {
  await signUp(page, newAccount("Barbara Live"));
  const projectId = await currentProjectId(page);
  const { call } = await apiAs(page, request);
  const upload = async (commit: string) =>
    call("POST", `/v1/projects/${projectId}/runs?branch=main&commit=${commit}&buildId=b-${commit}`, {
      raw: await fixture("jest-junit.xml"),
      contentType: "application/xml",
    });
  await upload("a1a1a1a1a1a1a1a1");

  const polls: number[] = [];
  page.on("response", (r) => {
    if (new URL(r.url()).pathname === `/v1/projects/${projectId}/runs`) polls.push(r.status());
  });
  await go(page, "CI runs");
  const rows = page.getByRole("table", { name: "Runs, newest first" }).getByRole("row");
  await expect(rows).toHaveCount(2);
  // The screen keeps asking; while nothing changed the answers are 304 without a body.
  await expect.poll(() => polls.filter((s) => s === 304).length, { timeout: 10_000 }).toBeGreaterThan(0);

  const navigations: string[] = [];
  page.on("framenavigated", (frame) => navigations.push(frame.url()));
  await upload("b2b2b2b2b2b2b2b2");
  const uploadedAt = Date.now();
  await expect(rows).toHaveCount(3, { timeout: 2_000 });
  console.log(`new run shown ${Date.now() - uploadedAt} ms after its upload answered`);
  await expect(rows.nth(1)).toContainText("b2b2b2b");
  expect(navigations).toEqual([]);
});
