/**
 * Sync-run coordination shared by the sync services: per-user run bookkeeping tables, triggers
 * that coalesce, one run per user across replicas (P3, P7).
 * @module
 */
export * from "./tables.ts";
export * from "./coordinator.ts";
