import type { Router } from "../openapi.ts";

/**
 * Interactive API reference (Swagger UI) for the generated OpenAPI document. The UI's files are built
 * into the dashboard's assets (scripts/docs-assets.mjs), so /docs works offline and under the same
 * strict CSP as everything else: no CDN, no inline script.
 */
const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Shifty API reference</title>
    <link rel="stylesheet" href="/docs-assets/swagger-ui.css" />
  </head>
  <body>
    <noscript>The interactive reference needs JavaScript; the raw document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
    <div id="docs"></div>
    <script src="/docs-assets/swagger-ui-bundle.js"></script>
    <script src="/docs-assets/init.js"></script>
  </body>
</html>`;

export function registerDocsRoute(app: Router) {
  app.get("/docs", (c) => c.html(DOCS_HTML));
}
