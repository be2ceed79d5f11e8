// The small apps the generation suites explore or record, served locally, and the check that a suite
// generated from one tells it apart from a broken copy.
import { createServer, type Server } from "node:http";
import { expect } from "@playwright/test";
import { runGeneratedSuite } from "../cli-helpers.ts";

/** A throwaway app: `html` served at the root of a free local port. */
export function serveHtml(html: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    }),
  );
}

/**
 * A generated suite tells a working app from a broken one: it passes against `working`, then fails against
 * the copy `broken` serves; each server is closed after its run.
 */
export async function expectSuiteCatchesBreakage(
  dir: string,
  env: Record<string, string>,
  working: { server: Server; url: string },
  broken: () => Promise<{ server: Server; url: string }>,
) {
  const pass = await runGeneratedSuite(dir, working.url, env, ".r1");
  working.server.close();
  expect(pass.code, pass.stdout).toBe(0);
  const copy = await broken();
  const fail = await runGeneratedSuite(dir, copy.url, env, ".r2");
  copy.server.close();
  expect(fail.code).not.toBe(0);
}
