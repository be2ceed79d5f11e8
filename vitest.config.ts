import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
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
            // Both AI providers configured, pointing at hosts only the tests' fake answers (test/ai/fakes.ts).
            OPENAI_API_KEY: "sk-test-openai-key-0000",
            OPENAI_BASE_URL: "https://openai.fake.test/v1",
            ANTHROPIC_API_KEY: "sk-ant-test-key-0000",
            ANTHROPIC_BASE_URL: "https://anthropic.fake.test",
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      exclude: ["test/e2e/**", "node_modules/**"],
      setupFiles: ["./test/setup.ts"],
      // Vitest's default leaves a core for itself (one runner on a 2-core CI machine), but the runners
      // wait on workerd and the transform as much as they compute: one per core took this suite from
      // about 410 s to 265 s on such a machine.
      maxWorkers: availableParallelism(),
      testTimeout: 30_000,
      // The per-request JSON log lines are for production; keep test output readable.
      onConsoleLog: (log: string) => !/^\{"level":"(info|warn)","msg":"request"/.test(log),
      hookTimeout: 30_000,
    },
  };
});
