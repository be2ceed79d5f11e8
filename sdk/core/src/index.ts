export { ShiftyClient, parseRetryAfter, type RequestOptions, type ShiftyClientOptions } from "./client.ts";
export { ShiftyApiError, ShiftyError, ShiftyNetworkError, ShiftyTimeoutError } from "./errors.ts";
export * from "./types.ts";
export { configFromEnv, type ShiftyConfig } from "./config.ts";
export { ciMetadataFromEnv } from "./ci-env.ts";
export * from "./generation-types.ts";
