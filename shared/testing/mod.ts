/**
 * Test helpers: a database and a NATS prefix of the test's own, a TCP proxy to cut dependencies
 * off, log capture and polling waits.
 * @module
 */
export * from "./infra.ts";
export * from "./isolated.ts";
export * from "./wait.ts";
export * from "./tcp_proxy.ts";
export * from "./logs.ts";
export * from "./private_infra.ts";
