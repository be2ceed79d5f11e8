// Every domain's tables, for drizzle's relational queries. Add a domain's schema file here.

export * from "./ai.ts";
export * from "./auth.ts";
export * from "./ci.ts";
export * from "./ci-artifacts.ts";
export * from "./generation.ts";
export * from "./healed-locators.ts";
export * from "./healing.ts";
export * from "./insight.ts";
export * from "./lifecycle.ts";
export * from "./mcp.ts";
export * from "./notifications.ts";
export * from "./pipeline.ts";
export * from "./sessions.ts";
export * from "./tenancy.ts";
export * from "./webhooks.ts";
