/**
 * Process lifecycle: serving HTTP, graceful shutdown on SIGTERM/SIGINT.
 * @module
 */
export * from "./serve.ts";
export * from "./lifecycle.ts";
export * from "./service.ts";
export * from "./launch.ts";
