/**
 * Typed errors shared by every service. Each carries a stable `code` (for logs, problem+json and
 * NATS error replies), the HTTP status it maps to, and an optional `cause`.
 * @module
 */
export * from "./errors.ts";
export * from "./parse.ts";
