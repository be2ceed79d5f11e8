// Copies Swagger UI (swagger-ui-dist) next to the dashboard build so /docs works offline and under a
// strict CSP (no CDN, no inline script): web/dist/docs-assets/{swagger-ui-bundle.js, swagger-ui.css, init.js}.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve("swagger-ui-dist/package.json"));
const out = join("web", "dist", "docs-assets");
mkdirSync(out, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"])
  copyFileSync(join(dist, file), join(out, file));
writeFileSync(
  join(out, "init.js"),
  `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#docs",
    deepLinking: true,
    persistAuthorization: true,
    tryItOutEnabled: false,
    displayRequestDuration: true,
    filter: true,
  });
});
`,
);
console.log(`docs assets → ${out}`);
