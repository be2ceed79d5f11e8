// Runs the benchmark's wrangler dev on a copy of HEAD, so edits in the worktree cannot reload the
// Worker mid-run. Returns a function that goes back and removes the copy.
import { execSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function snapshotOfHead() {
  const repo = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), "shifty-pipeline-src-"));
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
