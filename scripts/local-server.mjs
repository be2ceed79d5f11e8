// A throwaway local Shifty for the end-to-end runs (test/e2e/run.mjs, test/e2e/mcp-client.mjs) and the
// benchmarks (bench/lib/local-shifty.mjs): a fresh --persist-to directory under `work` with the D1
// migrations applied, random secrets in a temp --env-file, `wrangler dev` on free ports (its output kept
// for a failure report), and /healthz answering.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const wrangler = join(process.cwd(), "node_modules", ".bin", "wrangler");

/** A TCP port free on 127.0.0.1 right now. */
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

/**
 * Starts the server; `vars(url)` adds `--var`s that need its URL (PUBLIC_URL is always set), `echo`
 * also prints wrangler's output as it comes. Returns { url, pid (of wrangler, whose process group holds
 * its workerd), output() (the last wrangler output), stop() (ends wrangler and its workerd child) }.
 */
export async function startLocalServer({
  work,
  env,
  vars = () => ({}),
  healthTimeoutMs = 90_000,
  logLevel = "warn",
  echo = false,
}) {
  const persistTo = join(work, "state");
  execFileSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
    stdio: ["ignore", "ignore", "pipe"],
    env,
  });
  const envFile = join(work, ".env");
  const secret = () => randomBytes(32).toString("base64url");
  writeFileSync(envFile, `JWT_SECRET=${secret()}\nENCRYPTION_KEY=${secret()}\n`, { mode: 0o600 });
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const varArgs = Object.entries({ PUBLIC_URL: url, ...vars(url) }).flatMap(([k, v]) => [
    "--var",
    `${k}:${v}`,
  ]);
  const server = spawn(
    wrangler,
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      persistTo,
      "--env-file",
      envFile,
      ...varArgs,
      "--show-interactive-dev-session=false",
      "--log-level",
      logLevel,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env, detached: true },
  );
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (echo) process.stderr.write(chunk);
  };
  server.stdout.on("data", keep);
  server.stderr.on("data", keep);
  const handle = {
    url,
    pid: server.pid,
    output: () => output,
    stop() {
      if (server.exitCode !== null) return;
      try {
        process.kill(-server.pid, "SIGTERM"); // wrangler and its workerd child share the process group
      } catch {
        server.kill("SIGTERM");
      }
    },
  };
  try {
    await waitForHealth(server, url, healthTimeoutMs);
  } catch (error) {
    handle.stop();
    throw Object.assign(error, { serverOutput: output });
  }
  return handle;
}

async function waitForHealth(server, url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`wrangler dev exited with ${server.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no healthy answer from ${url}/healthz within ${timeoutMs / 1000}s`);
}
