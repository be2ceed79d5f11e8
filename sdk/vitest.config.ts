import { defineConfig } from "vitest/config";

// The SDK's unit tests run in Node (not the Workers pool): `npm run test:sdk`, and part of `npm test`.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["*/test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
  },
});
