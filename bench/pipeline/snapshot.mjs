// Runs a benchmark's wrangler dev on a copy of HEAD. wrangler dev reloads the Worker whenever a watched
// file changes, and local Queues live in memory: a reload drops queued messages. In a checkout others are
// editing that loses work mid-run, so the benches (pipeline, webhooks) serve a snapshot of the committed
// tree that nothing edits. Returns a function that goes back and removes the copy.
import { execSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function snapshotOfHead(prefix = "shifty-pipeline-src-") {
  const repo = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  execSync(`git archive HEAD | tar -x -C ${JSON.stringify(dir)}`, {
    cwd: repo,
    stdio: ["ignore", "ignore", "inherit"],
  });
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"));
  mkdirSync(join(dir, "web", "dist"), { recursive: true });
  process.chdir(dir);
  return () => {
    process.chdir(repo);
    rmSync(dir, { recursive: true, force: true });
  };
}
