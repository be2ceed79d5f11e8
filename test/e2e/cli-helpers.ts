// Shared by the suites that drive Shifty's CLI and API from Node (sdk/, generation/): calls to the local
// Shifty that run.mjs started, a signed-up tenant with an API key, and child processes.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";

export const root = process.cwd();
export const shiftyUrl = process.env.SHIFTY_URL ?? "http://127.0.0.1:8787";
export const shiftyBin = join(root, "node_modules", ".bin", "shifty");
export const playwrightBin = join(root, "node_modules", ".bin", "playwright");

export async function call<T>(
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${shiftyUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A new organisation (signed up as `name`) with its first project and an API key for it. */
export async function newKeyedTenant(name: string, emailPrefix: string) {
  const session = await call<{ token: string }>("POST", "/v1/auth/signup", null, {
    email: `${emailPrefix}.${randomUUID().slice(0, 8)}@e2e.shifty.test`,
    password: `pw-${randomUUID()}`,
    name,
    orgName: `${name} ${randomUUID().slice(0, 6)}`,
  });
  const projects = await call<{ items: { id: string }[] }>("GET", "/v1/projects", session.token);
  const key = await call<{ key: string }>("POST", "/v1/api-keys", session.token, {
    name: name.toLowerCase(),
  });
  return { apiKey: key.key, projectId: projects.items[0]!.id, token: session.token };
}

/**
 * Runs a command, collecting output; resolves with the exit code. The outer run's JSON reporter
 * variable must not leak into a nested Playwright run's.
 */
export function run(cmd: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Runs a generated suite (`<dir>/playwright.config.ts`) against `baseUrl`; `runName` keeps each run's output apart. */
export function runGeneratedSuite(
  dir: string,
  baseUrl: string,
  env: Record<string, string>,
  runName: string,
) {
  return run(
    playwrightBin,
    ["test", "-c", join(dir, "playwright.config.ts"), "--output", join(dir, runName)],
    {
      ...env,
      BASE_URL: baseUrl,
    },
  );
}
