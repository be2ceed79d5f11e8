import { mkdirSync } from "node:fs";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// wrangler.toml points [assets] at the dashboard build; tests do not need it built, only present.
mkdirSync("web/dist", { recursive: true });

export default defineConfig(async () => {
  const migrations = await readD1Migrations("migrations");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            APP_ENV: "test",
            JWT_SECRET: "test-jwt-secret-that-is-at-least-32-characters",
            ENCRYPTION_KEY: "test-encryption-key-at-least-32-characters!",
            TEST_MIGRATIONS: migrations,
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      exclude: ["test/e2e/**", "node_modules/**"],
      setupFiles: ["./test/setup.ts"],
      testTimeout: 30_000,
      // The per-request JSON log lines are for production; keep test output readable.
      onConsoleLog: (log: string) => !/^\{"level":"(info|warn)","msg":"request"/.test(log),
      hookTimeout: 30_000,
    },
  };
});
