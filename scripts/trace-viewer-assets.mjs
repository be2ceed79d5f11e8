// Copies Playwright's trace viewer (playwright-core, Apache-2.0) next to the dashboard build, so failure
// traces open on our own origin (docs/artifacts.md): web/dist/trace/{index.html, sw.bundle.js, assets/…}.
// The viewer uses relative asset paths and registers sw.bundle.js from /trace/, so the service worker's
// scope is /trace/ and the whole folder must move as one. Its license and notice travel with it.
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const core = dirname(require.resolve("playwright-core/package.json"));
const viewer = join(core, "lib", "vite", "traceViewer");
if (!existsSync(join(viewer, "index.html")) || !existsSync(join(viewer, "sw.bundle.js"))) {
  throw new Error(`no trace viewer in ${viewer} (did playwright-core change its layout?)`);
}
const out = join("web", "dist", "trace");
mkdirSync(out, { recursive: true });
cpSync(viewer, out, { recursive: true });
for (const file of ["LICENSE", "NOTICE", "ThirdPartyNotices.txt"]) {
  if (existsSync(join(core, file))) cpSync(join(core, file), join(out, file));
}
const { version } = require("playwright-core/package.json");
console.log(`trace viewer (playwright-core ${version}, Apache-2.0) → ${out}`);
