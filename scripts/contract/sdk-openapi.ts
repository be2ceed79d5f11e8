/**
 * Copies the OpenAPI test planner (shared/generation/openapi/, pure and self-contained) into the CLI
 * as sdk/cli/src/openapi/, because the published CLI may not import server code (docs/architecture.md,
 * "Floors"). `npm run contract:sdk` writes the copy; sdk/cli/test/openapi-copy.test.ts fails when it is
 * stale.
 *
 * Run: node scripts/contract/sdk-openapi.ts [--check]
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const SOURCE_DIR = fileURLToPath(new URL("../../shared/generation/openapi/", import.meta.url));
export const COPY_DIR = fileURLToPath(new URL("../../sdk/cli/src/openapi/", import.meta.url));

/** File name → the copy's text. */
export function plannerCopy(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(SOURCE_DIR)
    .filter((f) => f.endsWith(".ts"))
    .sort()) {
    const header = `// Copied from shared/generation/openapi/${name} by \`npm run contract:sdk\`. Do not edit here.\n`;
    files.set(name, header + readFileSync(join(SOURCE_DIR, name), "utf8"));
  }
  return files;
}

/** Names of the copy's files that are missing, stale or extra. */
export function staleFiles(): string[] {
  const wanted = plannerCopy();
  let present: string[] = [];
  try {
    present = readdirSync(COPY_DIR).filter((f) => f.endsWith(".ts"));
  } catch {
    // no copy yet: every file is missing
  }
  const stale = [...wanted].filter(([name, text]) => {
    try {
      return readFileSync(join(COPY_DIR, name), "utf8") !== text;
    } catch {
      return true;
    }
  });
  return [...stale.map(([name]) => name), ...present.filter((f) => !wanted.has(f))].sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes("--check")) {
    const stale = staleFiles();
    if (stale.length) {
      console.error(`sdk/cli/src/openapi/ is stale (${stale.join(", ")}): run \`npm run contract:sdk\``);
      process.exit(1);
    }
    console.log("the CLI's copy of the OpenAPI planner is up to date");
  } else {
    rmSync(COPY_DIR, { recursive: true, force: true });
    mkdirSync(COPY_DIR, { recursive: true });
    for (const [name, text] of plannerCopy()) writeFileSync(join(COPY_DIR, name), text);
    console.log(`wrote ${COPY_DIR}`);
  }
}
