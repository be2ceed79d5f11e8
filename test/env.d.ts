import type { Env as ShiftyEnv } from "../workers/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends ShiftyEnv {
      TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    }
  }
}
