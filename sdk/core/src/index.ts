export { ciMetadataFromEnv } from "./ci-env.ts";
export { parseRetryAfter, type RequestOptions, ShiftyClient, type ShiftyClientOptions } from "./client.ts";
export { configFromEnv, type ShiftyConfig } from "./config.ts";
export { ShiftyApiError, ShiftyError, ShiftyNetworkError, ShiftyTimeoutError } from "./errors.ts";
export * from "./generation-types.ts";
export { LOCATOR_FACTORIES } from "./locators.ts";
export * from "./session-types.ts";
export * from "./types.ts";
