// The SDK release check (docs/ai.md names it; run by `npm test`): every package under sdk/ has a semver
// version with a CHANGELOG entry, the packages depend on each other's current versions, and each
// `npm pack` tarball installs into a fresh project and works there — imports resolve, types ship,
// the `shifty` binary runs. What is published is exactly what was tested.
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = process.cwd();
const PACKAGES = ["sdk/core", "sdk/playwright", "sdk/cli"];
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;
const checks = [];
const check = (name, ok, detail = "") => {
  checks.push({ name, ok });
  console.log(`${ok ? "✓" : "✗"} ${name}${ok || !detail ? "" : ` — ${detail}`}`);
};
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const manifests = PACKAGES.map((dir) => ({
  dir,
  pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")),
}));
const changelog = existsSync("sdk/CHANGELOG.md") ? readFileSync("sdk/CHANGELOG.md", "utf8") : "";
const versions = Object.fromEntries(manifests.map(({ pkg }) => [pkg.name, pkg.version]));
for (const { pkg } of manifests) {
  check(`${pkg.name} ${pkg.version} is semver`, SEMVER.test(pkg.version));
  check(
    `${pkg.name} ${pkg.version} has a CHANGELOG entry`,
    changelog.includes(`## ${pkg.name} ${pkg.version}`),
    "add `## <name> <version>` to sdk/CHANGELOG.md",
  );
  for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
    if (dep in versions)
      check(`${pkg.name} depends on ${dep} ${versions[dep]}`, range === versions[dep], `has ${range}`);
  }
}

const work = mkdtempSync(join(tmpdir(), "shifty-sdk-release-"));
try {
  execFileSync(npm, ["run", "--silent", "build:sdk"], { stdio: "inherit" });
  const tarballs = PACKAGES.map((dir) => {
    const out = execFileSync(npm, ["pack", "--silent", "--pack-destination", work], {
      cwd: dir,
      encoding: "utf8",
    });
    return join(work, out.trim().split("\n").pop());
  });
  for (const t of tarballs) check(`packed ${t.split("/").pop()}`, existsSync(t));
  const app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "smoke", private: true, type: "module" }));
  // Offline, from the tarballs alone: nothing but what was packed is installed. The Playwright peer
  // comes from this repository (a consumer brings their own).
  const install = spawnSync(
    npm,
    [
      "install",
      "--offline",
      "--no-audit",
      "--no-fund",
      "--legacy-peer-deps",
      "--ignore-scripts",
      ...tarballs,
    ],
    { cwd: app, encoding: "utf8" },
  );
  check("the tarballs install into a fresh project", install.status === 0, install.stderr.slice(-400));
  mkdirSync(join(app, "node_modules", "@playwright"), { recursive: true });
  symlinkSync(resolve(root, "node_modules/@playwright/test"), join(app, "node_modules/@playwright/test"));
  writeFileSync(
    join(app, "smoke.mjs"),
    `import { ShiftyClient } from "@shifty/sdk";
import * as pw from "@shifty/playwright";
import { main, maskSecrets } from "@shifty/cli";
const client = new ShiftyClient({ baseUrl: "http://127.0.0.1:9", apiKey: "shf_x" });
if (typeof client.uploadRun !== "function") throw new Error("ShiftyClient.uploadRun missing");
if (typeof pw.test !== "function" || typeof pw.expect !== "function") throw new Error("@shifty/playwright exports");
if (maskSecrets("k shf_abcdefghijk", []) !== "k ***") throw new Error("maskSecrets");
let out = "";
const code = await main(["help"], { stdout: (t) => (out += t), stderr: () => {}, env: {}, cwd: process.cwd() });
if (code !== 0 || !out.includes("Usage: shifty")) throw new Error("cli help");
console.log("imports ok");
`,
  );
  const smoke = spawnSync(process.execPath, ["smoke.mjs"], { cwd: app, encoding: "utf8" });
  check("the installed packages import and run", smoke.status === 0, smoke.stderr.slice(-400));
  const bin = spawnSync(join(app, "node_modules", ".bin", "shifty"), ["--help"], {
    cwd: app,
    encoding: "utf8",
  });
  check(
    "the installed `shifty` binary runs",
    bin.status === 0 && bin.stdout.includes("Usage: shifty"),
    bin.stderr,
  );
  for (const name of ["sdk", "playwright", "cli"])
    check(
      `@shifty/${name} ships its types`,
      existsSync(join(app, "node_modules", "@shifty", name, "dist", "index.d.ts")),
    );
} finally {
  rmSync(work, { recursive: true, force: true });
}

const failed = checks.filter((c) => !c.ok).length;
console.log(`sdk release: ${checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
