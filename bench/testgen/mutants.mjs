// Behaviour mutants of the demo apps: bench/testgen/apps/<app>/mutants.json lists, per app, changes of
// behaviour written from the app's behaviours (not from the generated tests). Each one replaces one exact
// snippet of the app's index.html: { "name", "find", "replace" }.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The app's mutants, checked to be well-formed (three strings each, unique names). */
export function loadMutants(appDir) {
  const mutants = JSON.parse(readFileSync(join(appDir, "mutants.json"), "utf8"));
  const names = new Set();
  for (const m of mutants) {
    if (typeof m.name !== "string" || typeof m.find !== "string" || typeof m.replace !== "string")
      throw new Error(`${appDir}: a mutant needs a name, find and replace string: ${JSON.stringify(m)}`);
    if (names.has(m.name)) throw new Error(`${appDir}: two mutants are named "${m.name}"`);
    names.add(m.name);
  }
  return mutants;
}

/** The source with the mutant applied; its snippet must occur exactly once, or the mutant is ambiguous. */
export function applyMutant(source, { name, find, replace }, app) {
  const at = source.indexOf(find);
  if (at < 0 || source.indexOf(find, at + 1) >= 0)
    throw new Error(`${app}: mutant "${name}" must match exactly once`);
  return source.slice(0, at) + replace + source.slice(at + find.length);
}
