/**
 * Postgres helpers: postgres.js + drizzle, one Postgres schema per service, migrations applied at
 * start-up, readiness pings and the processed-messages table for idempotent consumers.
 * @module
 */
export * from "./database.ts";
export * from "./inbox.ts";
