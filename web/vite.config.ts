import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The dashboard: a static SPA the Worker serves from web/dist (wrangler.toml [assets], SPA fallback).
// `vite --config web/vite.config.ts` serves it on :5173 and proxies the API to a local Shifty.
export default defineConfig({
  root: "web",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      "/v1": { target: process.env.SHIFTY_URL ?? "http://127.0.0.1:8787", ws: true, changeOrigin: false },
    },
  },
});
