/**
 * Configuration: each service's `config.ts` extends {@link BaseServiceConfigSchema} and calls
 * {@link parseConfig} once, at start-up, with `Deno.env.toObject()`.
 * @module
 */
export * from "./config.ts";
