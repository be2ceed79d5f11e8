// A tiny static server for the demo apps (the bench serves each app, or a mutant of it, from memory).
import { createServer } from "node:http";

/** Serves `files` (path → content) on a free port; resolves with its base URL and a close function. */
export function serveFiles(files) {
  const types = { html: "text/html; charset=utf-8", js: "text/javascript", css: "text/css" };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const name = path === "/" ? "index.html" : path.slice(1);
    const body = files[name];
    if (body === undefined) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": types[name.split(".").pop()] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}
