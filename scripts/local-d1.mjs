// Runs SQL against the local D1 database that `wrangler dev` uses (.wrangler/state), via Wrangler itself.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const wrangler = join(process.cwd(), "node_modules", ".bin", "wrangler");

function run(args) {
  return execFileSync(wrangler, ["d1", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
}

export function applyMigrations() {
  run(["migrations", "apply", "DB", "--local"]);
}

/** Returns the rows of one SELECT. */
export function query(sql) {
  const out = run(["execute", "DB", "--local", "--json", "--command", sql]);
  const parsed = JSON.parse(out.slice(out.indexOf("[")));
  return parsed[0]?.results ?? [];
}

/** Executes several statements as one file (wrangler runs a file in a single transaction). */
export function execute(statements) {
  const dir = mkdtempSync(join(tmpdir(), "shifty-seed-"));
  const file = join(dir, "seed.sql");
  writeFileSync(file, statements.join(";\n") + ";\n");
  try {
    run(["execute", "DB", "--local", "--file", file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const sqlString = (v) =>
  v === null || v === undefined ? "NULL" : `'${String(v).replaceAll("'", "''")}'`;
