// Starts a throw-away local Shifty for benchmarks (scripts/local-server.mjs: wrangler dev on a free port,
// fresh state dir, random secrets), plus the D1 shell of that state. Returns { url, pgid, d1(sql),
// query(sql), stop() }.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startLocalServer } from "../../scripts/local-server.mjs";

export { freePort };

const wrangler = join(process.cwd(), "node_modules", ".bin", "wrangler");

export async function startLocalShifty({ vars = {}, quiet = true } = {}) {
  const work = mkdtempSync(join(tmpdir(), "shifty-bench-"));
  const state = join(work, "state");
  const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" };
  const server = await startLocalServer({
    work,
    env,
    vars: () => vars,
    logLevel: quiet ? "error" : "info",
    echo: !quiet,
  });
  const run = (args) =>
    execFileSync(wrangler, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env });
  return {
    url: server.url,
    /** The process group of wrangler and its workerd (for CPU accounting). */
    pgid: server.pid,
    d1: (sql) => run(["d1", "execute", "DB", "--local", "--persist-to", state, "--command", sql]),
    /** Rows of one SELECT (wrangler's --json output). */
    query: (sql) =>
      JSON.parse(
        run(["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql]),
      )[0].results,
    stop: async () => {
      server.stop();
      await new Promise((r) => setTimeout(r, 500));
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * fetch that retries once when the server closed an idle keep-alive connection just as it was reused
 * (likely after a long `wrangler d1 execute` on a loaded machine).
 */
export async function fetchRetrying(url, init) {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (!["UND_ERR_SOCKET", "EPIPE", "ECONNRESET"].includes(error?.cause?.code)) throw error;
    return fetch(url, init);
  }
}

/** Signs up a fresh owner + org through the API and returns { token, orgId, apiKey, projectId }. */
export async function signUpTenant(url, { plan, local } = {}) {
  const email = `bench-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const session = await (
    await fetchRetrying(`${url}/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "bench password 1", name: "Bench", orgName: "Bench Org" }),
    })
  ).json();
  const orgId = session.orgs[0].orgId;
  if (plan && local) local.d1(`UPDATE organizations SET plan = '${plan}' WHERE id = '${orgId}'`);
  const auth = { authorization: `Bearer ${session.token}`, "content-type": "application/json" };
  const { key } = await (
    await fetchRetrying(`${url}/v1/api-keys`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "bench" }),
    })
  ).json();
  const projects = await (await fetchRetrying(`${url}/v1/projects`, { headers: auth })).json();
  return { token: session.token, orgId, apiKey: key, projectId: projects.items[0].id, email };
}
