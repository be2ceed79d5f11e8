import type { Env as ShiftyEnv } from "../workers/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends ShiftyEnv {
      TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    }
    interface GlobalProps {
      mainModule: typeof import("../workers/index.ts");
      durableNamespaces: "RateLimiter" | "SessionRoom";
    }
  }
}
