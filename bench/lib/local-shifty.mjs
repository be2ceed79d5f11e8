// Starts a throw-away local Shifty (wrangler dev on a free port, fresh state dir, random secrets) for
// benchmarks. Returns { url, stop, d1(sql) }.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const wrangler = join(process.cwd(), "node_modules", ".bin", "wrangler");

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startLocalShifty({ vars = {}, quiet = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "shifty-bench-"));
  const state = join(dir, "state");
  const envFile = join(dir, ".dev.vars");
  writeFileSync(
    envFile,
    `JWT_SECRET=${randomBytes(32).toString("hex")}\nENCRYPTION_KEY=${randomBytes(32).toString("hex")}\n`,
  );
  const run = (args) =>
    execFileSync(wrangler, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    });
  run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  const port = await freePort();
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child = spawn(
    wrangler,
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      state,
      "--env-file",
      envFile,
      "--log-level",
      quiet ? "error" : "info",
      "--show-interactive-dev-session=false",
      ...varArgs,
    ],
    {
      stdio: ["ignore", quiet ? "ignore" : "inherit", "inherit"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      detached: true,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("local Shifty did not start");
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    /** The process group of wrangler and its workerd (for CPU accounting). */
    pgid: child.pid,
    d1: (sql) => run(["d1", "execute", "DB", "--local", "--persist-to", state, "--command", sql]),
    /** Rows of one SELECT (wrangler's --json output). */
    query: (sql) =>
      JSON.parse(
        run(["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql]),
      )[0].results,
    stop: async () => {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 500));
      rmSync(dir, { recursive: true, force: true });
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
