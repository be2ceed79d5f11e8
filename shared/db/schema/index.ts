// Every domain's tables, for drizzle's relational queries. Add a domain's schema file here.
export * from "./tenancy.ts";
export * from "./healing.ts";
export * from "./sessions.ts";
export * from "./webhooks.ts";
export * from "./ci.ts";
export * from "./healed-locators.ts";
export * from "./pipeline.ts";
export * from "./mcp.ts";
export * from "./auth.ts";
export * from "./generation.ts";
export * from "./insight.ts";
